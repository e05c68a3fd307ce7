import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from '../helpers/app.ts'
import { POLLING_ENV, importCsv, postCsv, waitForImport, type FailureJson } from '../helpers/imports.ts'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ ...POLLING_ENV })
})
afterAll(async () => {
  await t.close()
})

const fixture = (name: string) => readFileSync(new URL(`../fixtures/exports/${name}`, import.meta.url))

type DraftJson = {
  id: string; status: string; encoding: string; delimiter: string
  columns: { header: string; letter: string; field: string | null; samples: string[] }[]
  preview: { rows: number; imported: number; updated: number; duplicates: number; failed: number; warnings: number; failures: FailureJson[] }
}

async function contactCount(): Promise<number> {
  const [row] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from contacts`
  return row!.n
}

describe('exports of the tools people keep contacts in, through the API with no mapping', () => {
  const expected: [string, { imported: number; failed: number; warnings: number }][] = [
    ['google-contacts.csv', { imported: 3, failed: 0, warnings: 1 }],
    ['outlook.csv', { imported: 2, failed: 0, warnings: 0 }],
    ['hubspot.csv', { imported: 3, failed: 0, warnings: 1 }],
    ['zoho-crm.csv', { imported: 2, failed: 0, warnings: 1 }],
    ['mailchimp.csv', { imported: 2, failed: 1, warnings: 1 }],
    ['own-export.csv', { imported: 2, failed: 0, warnings: 0 }],
  ]
  for (const [name, counts] of expected) {
    it(`imports ${name} with every row accounted for`, async () => {
      const { summary, failures } = await importCsv(t, fixture(name), `?fileName=${name}`)
      expect(summary).toMatchObject({ status: 'completed', ...counts, duplicates: 0 })
      for (const f of failures.filter((x) => x.kind === 'warning')) expect(f.reason).toMatch(/^column "[^"]+" \([A-Z]+\): /)
    })
  }

  it('lists a warning with its row, column and reason, and the contact is there without the value', async () => {
    const { summary, failures } = await importCsv(t, 'Mobile,Birthday,Name\n+447400100200,03/15,Wendy Warn\n')
    expect(summary).toMatchObject({ totalRows: 1, imported: 1, failed: 0, warnings: 1 })
    expect(failures).toEqual([expect.objectContaining({ row: 2, kind: 'warning', reason: 'column "Birthday" (B): "03/15" has no year; a date of birth needs one' })])
    const found = await json<{ items: { dateOfBirth: string | null }[] }>(await t.call('GET', '/v1/contacts?q=Wendy'))
    expect(found.items[0]?.dateOfBirth).toBeNull()
  })
})

describe('drafts, mappings and starting', () => {
  const file = 'Tel,Notes,Work phone,City\n+447400200001,Acme,+447400200002,Leeds\n+447400200003,Beta,,York\nnot a phone,Gamma,,Hull\n'

  it('previews without writing, suggests a mapping with samples, and starts with a changed mapping', async () => {
    const before = await contactCount()
    const res = await postCsv(t, file, '?draft=true&fileName=draft.csv')
    const draft = await json<DraftJson>(res)
    expect(res.status, JSON.stringify(draft)).toBe(201)
    expect(draft.status).toBe('draft')
    expect(draft.columns).toEqual([
      { header: 'Tel', letter: 'A', field: 'mobile', samples: ['+447400200001', '+447400200003', 'not a phone'] },
      { header: 'Notes', letter: 'B', field: null, samples: ['Acme', 'Beta', 'Gamma'] },
      { header: 'Work phone', letter: 'C', field: 'otherMobile', samples: ['+447400200002'] },
      { header: 'City', letter: 'D', field: 'city', samples: ['Leeds', 'York', 'Hull'] },
    ])
    expect(draft.preview).toMatchObject({ rows: 3, imported: 2, duplicates: 0, failed: 1, warnings: 0 })
    expect(draft.preview.failures[0]).toMatchObject({ row: 4, kind: 'failed' })
    expect(await contactCount()).toBe(before)
    const listed = await json<{ id: string; status: string }[]>(await t.call('GET', '/v1/imports'))
    expect(listed.find((i) => i.id === draft.id)?.status).toBe('draft')
    // The rows are counted after the answer.
    await expect.poll(async () => (await json<{ totalRows: number }>(await t.call('GET', `/v1/imports/${draft.id}`))).totalRows).toBe(3)

    const start = await t.call('POST', `/v1/imports/${draft.id}/start`, { mapping: { Notes: 'company', 'Work phone': null } })
    expect(start.status, await start.clone().text()).toBe(202)
    const done = await waitForImport(t, draft.id)
    expect(done).toMatchObject({ status: 'completed', totalRows: 3, imported: 2, failed: 1 })
    const found = await json<{ items: { company: string | null; otherMobiles: string[] }[] }>(await t.call('GET', '/v1/contacts?q=7400200001'))
    expect(found.items[0]).toMatchObject({ company: 'Acme', otherMobiles: [] })
    expect((await t.call('POST', `/v1/imports/${draft.id}/start`, {})).status).toBe(409)

    // The confirmed mapping is suggested for the next file with the same header row.
    const again = await json<DraftJson>(await postCsv(t, file, '?draft=true'))
    expect(again.columns.map((c) => c.field)).toEqual(['mobile', 'company', null, 'city'])
    expect((await t.call('DELETE', `/v1/imports/${again.id}`)).status).toBe(204)
    expect((await t.call('DELETE', `/v1/imports/${again.id}`)).status).toBe(404)
  })

  it('takes a mapping on a direct import, as ?mapping= or a multipart field', async () => {
    const q = encodeURIComponent(JSON.stringify({ Contact: 'email', Kind: null }))
    const { summary } = await importCsv(t, 'Contact,Kind\nmapped@example.com,lead\n', `?mapping=${q}`)
    expect(summary).toMatchObject({ imported: 1, ignoredColumns: ['Kind'] })
    const form = new FormData()
    form.set('mapping', JSON.stringify({ Reach: 'email' }))
    form.set('file', new File(['Reach\nmultipart-mapped@example.com\n'], 'm.csv', { type: 'text/csv' }))
    const res = await t.app.request('/v1/imports', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: form })
    expect(res.status, await res.clone().text()).toBe(202)
    expect(await waitForImport(t, (await json<{ id: string }>(res)).id)).toMatchObject({ imported: 1 })
  })

  it('refuses a mapping naming an unknown field, a missing header or two mobiles (422), naming it', async () => {
    const m = (mapping: unknown) => `?mapping=${encodeURIComponent(JSON.stringify(mapping))}`
    const cases: [unknown, string][] = [
      [{ Tel: 'phone' }, '"phone", which is not a field'],
      [{ Nope: 'mobile' }, '"Nope", which the file does not have'],
      [{ Tel: 'mobile', 'Work phone': 'mobile' }, '"Tel" and "Work phone" to mobile'],
    ]
    for (const [mapping, message] of cases) {
      for (const draft of ['', '&draft=true']) {
        const res = await postCsv(t, file, m(mapping) + draft)
        const body = await json<{ error: { code: string; message: string } }>(res)
        expect(res.status).toBe(422)
        expect(body.error.code).toBe('invalid_mapping')
        expect(body.error.message).toContain(message)
      }
    }
  })

  it('refuses files that are not text by their first bytes (415), saying what they are', async () => {
    const files: [number[], string][] = [
      [[0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0], 'Excel file (.xlsx)'],
      [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'Excel file (.xls)'],
      [[0x25, 0x50, 0x44, 0x46, 0x2d, 0x31], 'PDF'],
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'image (PNG)'],
    ]
    for (const [bytes, what] of files) {
      for (const draft of ['', '?draft=true']) {
        const res = await postCsv(t, new Uint8Array([...bytes, ...new Array(64).fill(0)]), draft)
        const body = await json<{ error: { code: string; message: string } }>(res)
        expect(res.status).toBe(415)
        expect(body.error).toMatchObject({ code: 'unsupported_file' })
        expect(body.error.message).toContain(what)
      }
    }
  })

  it('keeps the file while it is a draft, removes it on start, and deletes drafts left for 24 hours', async () => {
    const path = (id: string) => `${t.deps.config.spoolDir}/drafts/${id}.csv`
    const started = await json<DraftJson>(await postCsv(t, 'Email\nkept-file@example.com\n', '?draft=true'))
    expect(existsSync(path(started.id))).toBe(true)
    expect((await t.call('POST', `/v1/imports/${started.id}/start`, {})).status).toBe(202)
    expect(existsSync(path(started.id))).toBe(false)
    await waitForImport(t, started.id)

    const old = await json<DraftJson>(await postCsv(t, 'Email\nold-draft@example.com\n', '?draft=true'))
    await t.db.sql`update imports set created_at = created_at - interval '25 hours' where id = ${old.id}`
    await postCsv(t, 'Email\nnew-draft@example.com\n', '?draft=true')
    expect((await t.call('GET', `/v1/imports/${old.id}`)).status).toBe(404)
    expect(existsSync(path(old.id))).toBe(false)
  })

  it('shows a draft only to its owner and admins', async () => {
    const agent = await json<{ token: string }>(await t.call('POST', '/v1/users', { name: 'Draft Agent', role: 'agent' }))
    const other = await json<{ token: string }>(await t.call('POST', '/v1/users', { name: 'Other Agent', role: 'agent' }))
    const res = await t.app.request('/v1/imports?draft=true', { method: 'POST', headers: { authorization: `Bearer ${agent.token}`, 'content-type': 'text/csv' }, body: 'Email\nagent-draft@example.com\n' })
    const draft = await json<DraftJson>(res)
    expect(res.status).toBe(201)
    const start = (token: string) => t.app.request(`/v1/imports/${draft.id}/start`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' })
    expect((await start(other.token)).status).toBe(404)
    expect((await start(agent.token)).status).toBe(202)
    expect(await waitForImport(t, draft.id, agent.token)).toMatchObject({ imported: 1 })
  })
})
