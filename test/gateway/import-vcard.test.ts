import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from '../helpers/app.ts'
import { POLLING_ENV, waitForImport, type FailureJson, type ImportJson } from '../helpers/imports.ts'

let t: TestApp

beforeAll(async () => {
  // Android exports numbers as dialled at home: Zoë's 0151 … is German.
  t = await startTestApp({ ...POLLING_ENV, DEFAULT_COUNTRY: 'DE' })
})
afterAll(async () => {
  await t.close()
})

const fixture = (name: string) => readFileSync(new URL(`../fixtures/vcard/${name}`, import.meta.url))

type ContactJson = {
  name: string | null; mobile: string | null; email: string | null; company: string | null; dateOfBirth: string | null; labels: string[]
  otherMobiles: string[]; otherEmails: string[]; address: Record<string, string>; social: Record<string, string>
}
type DraftJson = {
  id: string; status: string; encoding: string; delimiter: string
  columns: { header: string; letter: string; field: string | null; samples: string[] }[]
  preview: { rows: number; imported: number; updated: number; duplicates: number; failed: number; warnings: number; failures: FailureJson[] }
}

async function contact(q: string): Promise<ContactJson> {
  const found = await json<{ items: ContactJson[] }>(await t.call('GET', `/v1/contacts?q=${encodeURIComponent(q)}`))
  expect(found.items, q).toHaveLength(1)
  return found.items[0]!
}

/** Sends a file, follows the import to its end and reads its failures, checking the accounting on the way. */
async function importFile(body: NonNullable<RequestInit['body']>, query: string, headers: Record<string, string> = {}): Promise<{ summary: ImportJson; failures: FailureJson[] }> {
  const res = await t.app.request(`/v1/imports${query}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers }, body })
  const started = await json<{ id: string }>(res)
  expect(res.status, JSON.stringify(started)).toBe(202)
  const summary = await waitForImport(t, started.id)
  const failures = await json<FailureJson[]>(await t.call('GET', `/v1/imports/${started.id}/failures`))
  expect(summary.totalRows).toBe(summary.imported + summary.updated + summary.duplicates + summary.failed)
  expect(failures.length).toBe(summary.duplicates + summary.failed + summary.warnings)
  return { summary, failures }
}

describe('vCard imports through the API', () => {
  it('imports an Apple Contacts 3.0 export sent as text/vcard: every card a row, the year-less birthday a warning', async () => {
    const { summary, failures } = await importFile(fixture('apple-contacts.vcf'), '', { 'content-type': 'text/vcard' })
    expect(summary).toMatchObject({ status: 'completed', delimiter: 'vcard', encoding: 'utf-8', totalRows: 3, imported: 3, duplicates: 0, failed: 0, warnings: 1 })
    expect(failures).toEqual([expect.objectContaining({ row: 2, kind: 'warning', reason: 'column "Birthday" (I): "--03-02" has no year; a date of birth needs one' })])
    expect(await contact('Appleseed')).toMatchObject({
      name: 'Dr. John Quincy Appleseed', mobile: '+14155550123', otherMobiles: ['+14085550134', '+14085550188', '+14085550199'],
      email: 'john@appleseed.example', otherEmails: ['j.appleseed@apple.example'], company: 'Apple Inc.', dateOfBirth: '1980-05-17',
      address: { street: '350 Elm Street, Apartment 4', city: 'Palo Alto', state: 'CA', zip: '94301', country: 'US' },
      social: { twitter: 'jappleseed', linkedin: 'john-appleseed' }, labels: ['Friends', 'VIP'],
    })
    expect(await contact('Anna Smith')).toMatchObject({ mobile: '+447400123456', otherMobiles: ['+442079460958', '+447400654321'], dateOfBirth: null, social: { facebook: 'anna.smith.77' } })
    expect(await contact('support@acme.example')).toMatchObject({ name: 'Acme Support', mobile: null, company: 'Acme Ltd.', social: { instagram: 'acme_ltd' } })
  })

  it('imports an Android 2.1 export sent as a .vcf in a form: quoted-printable names, an empty card failed with its number', async () => {
    const form = new FormData()
    form.append('file', new Blob([fixture('android.vcf')], { type: 'application/octet-stream' }), 'android.vcf')
    const { summary, failures } = await importFile(form, '')
    expect(summary).toMatchObject({ status: 'completed', fileName: 'android.vcf', totalRows: 4, imported: 3, failed: 1, warnings: 1 })
    expect(failures).toEqual([
      expect.objectContaining({ row: 2, kind: 'warning', reason: 'column "Birthday" (I): "--04-15" has no year; a date of birth needs one' }),
      expect.objectContaining({ row: 4, kind: 'failed', reason: 'the card has no mobile and no email (nor anything else that can be imported); a contact needs at least one' }),
    ])
    expect(await contact('Müller')).toMatchObject({
      name: 'Jürgen Müller', mobile: '+4915123456789', otherMobiles: ['+493012345678'], email: 'juergen.mueller@example.de',
      company: 'Bäckerei Müller', address: { street: 'Hauptstraße 5', city: 'München', state: 'Bayern', zip: '80331', country: 'DE' },
    })
    expect(await contact('José')).toMatchObject({
      name: 'José María García Rodríguez de la Fuente y Martínez', mobile: '+34612345678', otherMobiles: ['+34912345678'],
      email: 'jose@empresa.example.es', otherEmails: ['jose.maria@example.es'], dateOfBirth: null,
    })
    expect(await contact('Zoë')).toMatchObject({ mobile: '+4915198765432' })
  })

  it('drafts a 4.0 file: the columns with samples and a preview, then starts it; the card without phone or email fails as its row', async () => {
    const res = await t.app.request('/v1/imports?draft=true&fileName=outlook-4.vcf', {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: fixture('outlook-4.vcf'),
    })
    const draft = await json<DraftJson>(res)
    expect(res.status, JSON.stringify(draft)).toBe(201)
    expect(draft).toMatchObject({ status: 'draft', delimiter: 'vcard', encoding: 'utf-8' })
    expect(draft.columns.slice(0, 6)).toEqual([
      { header: 'Name', letter: 'A', field: 'name', samples: ['Olivia Brown', 'Noah Green', 'Northwind Traders'] },
      { header: 'First Name', letter: 'B', field: 'firstName', samples: ['Olivia', 'Noah', 'Mia'] },
      { header: 'Middle Name', letter: 'C', field: 'middleName', samples: [] },
      { header: 'Last Name', letter: 'D', field: 'lastName', samples: ['Brown', 'Green', 'Wong'] },
      { header: 'Mobile', letter: 'E', field: 'mobile', samples: ['+44-7400-900123', '+1-212-555-0147', '+852-9123-4567'] },
      { header: 'Other Phones', letter: 'F', field: 'otherMobile', samples: ['+44-20-7946-0018; +44-7400-900456'] },
    ])
    expect(draft.columns.find((c) => c.header === 'Categories')).toMatchObject({ field: 'labels', samples: ['Clients ::: Wholesale'] })
    expect(draft.preview).toMatchObject({ rows: 4, imported: 3, duplicates: 0, failed: 1, warnings: 1 })
    expect(draft.preview.failures.map((f) => [f.row, f.kind])).toEqual([[1, 'warning'], [3, 'failed']])
    // The rows are counted after the answer: the cards, the header being made up.
    await expect.poll(async () => (await json<{ totalRows: number }>(await t.call('GET', `/v1/imports/${draft.id}`))).totalRows).toBe(4)

    const start = await t.call('POST', `/v1/imports/${draft.id}/start`, {})
    expect(start.status, await start.clone().text()).toBe(202)
    const done = await waitForImport(t, draft.id)
    expect(done).toMatchObject({ status: 'completed', delimiter: 'vcard', totalRows: 4, imported: 3, failed: 1, warnings: 1 })
    const failures = await json<FailureJson[]>(await t.call('GET', `/v1/imports/${draft.id}/failures`))
    expect(failures).toEqual([
      expect.objectContaining({ row: 1, kind: 'warning', reason: 'column "Birthday" (I): "--04-15" has no year; a date of birth needs one' }),
      expect.objectContaining({ row: 3, kind: 'failed', reason: 'the row has no mobile and no email; a contact needs at least one', data: expect.objectContaining({ Name: 'Northwind Traders', City: 'Seattle' }) }),
    ])
    expect(await contact('Olivia')).toMatchObject({
      mobile: '+447400900123', otherMobiles: ['+442079460018', '+447400900456'], email: 'olivia.brown@example.com', otherEmails: ['olivia@contoso.example'],
      company: 'Contoso Ltd.', address: { city: 'London', country: 'GB' }, social: { linkedin: 'olivia-brown', twitter: 'oliviab' }, labels: ['Clients', 'Wholesale'],
    })
    expect(await contact('Noah')).toMatchObject({ mobile: '+12125550147', dateOfBirth: '1985-03-20', address: { city: 'Springfield' } })
  })

  it('refuses a .vcf with text but no card in it, and names the problem', async () => {
    const res = await t.app.request('/v1/imports?fileName=notes.vcf', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/plain' }, body: 'just some notes\n' })
    expect(res.status).toBe(415)
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain('there is no vCard in this file')
  })
})
