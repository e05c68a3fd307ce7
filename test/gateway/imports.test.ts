import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from '../helpers/app.ts'
import { POLLING_ENV, importCsv, postCsv, waitForImport, type FailureJson, type ImportJson } from '../helpers/imports.ts'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ ...POLLING_ENV, DEFAULT_COUNTRY: 'GB', IMPORT_MAX_MB: '0.2' })
})
afterAll(async () => {
  await t.close()
})

type ContactJson = { id: string; name: string | null; mobile: string | null; email: string | null; company: string | null; ownerId: string; source: string; address: Record<string, string>; dateOfBirth: string | null }

async function findContact(q: string): Promise<ContactJson[]> {
  const res = await t.call('GET', `/v1/contacts?q=${encodeURIComponent(q)}&limit=100`)
  return (await json<{ items: ContactJson[] }>(res)).items
}

async function contactCount(): Promise<number> {
  const [row] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from contacts`
  return row!.n
}

/** A CSV body streamed a line at a time with no Content-Length, that ends, or breaks off, after `rows` rows. */
function streamedCsv(rows: number, prefix: string, end: 'close' | 'error'): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let sent = 0
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent === 0) controller.enqueue(encoder.encode('Phone\n'))
      else if (sent > rows) {
        if (end === 'close') controller.close()
        else controller.error(new Error('socket hang up'))
      } else controller.enqueue(encoder.encode(`${prefix}${String(sent).padStart(5, '0')}\n`))
      sent++
    },
  })
}

async function postStream(body: ReadableStream<Uint8Array>): Promise<Response> {
  return t.app.request('/v1/imports', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body, duplex: 'half' } as RequestInit)
}

describe('a messy spreadsheet export', () => {
  // What Excel writes in a European locale: BOM, semicolons, CRLF, a quoted multi-line note, a blank line.
  const file = [
    '\ufeffFirst Name;Last Name;Mobile Number;E-mail;Birthday;Organization;Country;Notes;Lead Score',
    'Ana;García;+34 612 345 678;ana@example.es;25/04/1990;"Acme; S.L.";Spain;"likes ""tapas""\nand calls on Fridays";10',
    'Bob;Smith;07400 123123;;;;;;',
    '',
    'Carl;;4.47E+11;carl@example;03/04/1990;;;;',
    'Dora;;;DORA@example.com;;;;;',
    'Ed;;+34 612 345 678;;;;;;',
    ';;;;;;;;',
    'Fay;;;ana@EXAMPLE.es;;;;;',
    'Gil;;+1 415 555 0123;;;;Atlantis;;',
    '',
  ].join('\r\n')
  let summary: ImportJson
  let failures: FailureJson[]

  beforeAll(async () => {
    ;({ summary, failures } = await importCsv(t, file, '?fileName=leads.csv'))
  })

  it('accounts for every row', () => {
    expect(summary).toMatchObject({
      status: 'completed', source: 'file', fileName: 'leads.csv', delimiter: ';', encoding: 'utf-8',
      totalRows: 7, imported: 4, updated: 0, duplicates: 2, failed: 1, warnings: 1, ignoredColumns: ['Notes', 'Lead Score'],
    })
    expect(summary.finishedAt).not.toBeNull()
  })

  it('numbers rows as a spreadsheet shows them and names the column and the problem', () => {
    expect(failures.map((f) => [f.row, f.kind])).toEqual([[5, 'failed'], [7, 'duplicate'], [9, 'duplicate'], [10, 'warning']])
    const carl = failures.find((f) => f.row === 5)!
    expect(carl.reason).toContain('column "Mobile Number" (C): "4.47E+11" is in scientific notation')
    expect(carl.reason).toContain('column "E-mail" (D)')
    expect(carl.reason).toContain('column "Birthday" (E): "03/04/1990" is ambiguous')
    expect(carl.data).toMatchObject({ 'First Name': 'Carl', 'Mobile Number': '4.47E+11' })
    // An unknown country only describes the person: Gil is imported without it, with a warning.
    expect(failures.find((f) => f.row === 10)!.reason).toContain('column "Country" (G)')
  })

  it('says what a duplicate duplicates', () => {
    expect(failures.find((f) => f.row === 7)!.reason).toBe('duplicate: same mobile as row 2')
    expect(failures.find((f) => f.row === 9)!.reason).toBe('duplicate: same email as row 2')
  })

  it('imports the good rows with the importer as owner, normalized fields and countries', async () => {
    const me = await json<{ id: string }>(await t.call('GET', '/v1/me'))
    const [ana] = await findContact('ana@example.es')
    expect(ana).toMatchObject({ name: 'Ana García', mobile: '+34612345678', company: 'Acme; S.L.', dateOfBirth: '1990-04-25', source: 'import', ownerId: me.id, address: { country: 'ES' } })
    const [bob] = await findContact('+447400123123')
    expect(bob).toMatchObject({ name: 'Bob Smith', address: { country: 'GB' } })
    expect(await findContact('dora@example.com')).toHaveLength(1)
  })
})

describe('encodings and delimiters', () => {
  it('reads UTF-16 LE with a BOM (Excel "Unicode text", tab-separated)', async () => {
    const text = 'Name\tPhone\nZoë\t+44 7400 900200\n'
    const bytes = new Uint8Array(2 + text.length * 2)
    bytes.set([0xff, 0xfe])
    for (let i = 0; i < text.length; i++) bytes.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], 2 + i * 2)
    const { summary } = await importCsv(t, bytes)
    expect(summary).toMatchObject({ encoding: 'utf-16le', delimiter: '\t', imported: 1 })
    expect((await findContact('+447400900200'))[0]?.name).toBe('Zoë')
  })

  it('reads Windows-1252 when the bytes are not UTF-8', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('Name|Phone\nRen'), 0xe9, ...new TextEncoder().encode('|+44 7400 900201\n')])
    const { summary } = await importCsv(t, bytes)
    expect(summary).toMatchObject({ encoding: 'windows-1252', delimiter: '|', imported: 1 })
    expect((await findContact('+447400900201'))[0]?.name).toBe('René')
  })
})

describe('refusals before anything is written', () => {
  it('answers 422 for a file without a phone or email column and records nothing', async () => {
    const before = await json<unknown[]>(await t.call('GET', '/v1/imports'))
    const res = await postCsv(t, 'Name,Company\nJane,Acme\n')
    expect(res.status).toBe(422)
    const body = await json<{ error: { code: string; message: string } }>(res)
    expect(body.error.code).toBe('no_contact_columns')
    expect(body.error.message).toContain('"Name", "Company"')
    expect(await json<unknown[]>(await t.call('GET', '/v1/imports'))).toHaveLength(before.length)
  })

  it('answers 400 for an empty file, or one of blank lines', async () => {
    for (const body of ['', '\r\n\r\n', '\ufeff']) {
      const res = await postCsv(t, body)
      expect(res.status).toBe(400)
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('empty_file')
    }
  })

  it('answers 400 for an unknown onDuplicate, naming the parameter, as every query error does', async () => {
    const res = await postCsv(t, 'Phone\n+447400123123\n', '?onDuplicate=merge')
    expect(res.status).toBe(400)
    const body = await json<{ error: { code: string; details: { field: string }[] } }>(res)
    expect(body.error.code).toBe('malformed_request')
    expect(body.error.details[0]?.field).toBe('onDuplicate')
  })

  it('answers 413 for a file over the limit', async () => {
    const big = `Phone\n${'+447400900000\n'.repeat(20000)}`
    const res = await postCsv(t, big)
    expect(res.status).toBe(413)
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe('payload_too_large')
  })

  it('answers 413 when a body without a length grows past the limit, and records nothing', async () => {
    const before = (await json<unknown[]>(await t.call('GET', '/v1/imports'))).length
    const res = await postStream(streamedCsv(20000, '+4474009', 'close'))
    expect(res.status).toBe(413)
    expect((await json<unknown[]>(await t.call('GET', '/v1/imports'))).length).toBe(before)
  })
})

describe('uploads that go wrong', () => {
  it('refuses an upload that breaks off, saying so, and records no import', async () => {
    const before = (await json<unknown[]>(await t.call('GET', '/v1/imports'))).length
    const res = await postStream(streamedCsv(1500, '+4474005', 'error'))
    expect(res.status).toBe(400)
    expect((await json<{ error: { message: string } }>(res)).error.message).toContain('The upload ended before the whole file arrived')
    expect((await json<unknown[]>(await t.call('GET', '/v1/imports'))).length).toBe(before)
  })

  it('answers 413 for a multipart body far over the limit before reading it', async () => {
    const form = new FormData()
    form.append('file', new Blob(['Phone\n' + '+447400900000\n'.repeat(30000)], { type: 'text/csv' }), 'big.csv')
    const res = await t.app.request('/v1/imports', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: form })
    expect(res.status).toBe(413)
  })
})

describe('duplicates across imports', () => {
  const file = 'Name,Phone,Email,City\nHana,+81 90 1234 5678,,\nIvo,,ivo@example.hr,Zagreb\n'

  it('running the same file again creates no twins', async () => {
    const first = await importCsv(t, file)
    expect(first.summary).toMatchObject({ imported: 2, duplicates: 0 })
    const count = await contactCount()
    const again = await importCsv(t, file)
    expect(again.summary).toMatchObject({ imported: 0, duplicates: 2 })
    expect(again.failures[0]?.reason).toMatch(/^duplicate: same mobile as existing contact [0-9a-f-]{36}$/)
    expect(await contactCount()).toBe(count)
  })

  it('onDuplicate=update fills empty fields and never overwrites', async () => {
    const { summary } = await importCsv(t, 'Name,Phone,Email,City,Company\nHana Sato,+81 90 1234 5678,hana@example.jp,Tokyo,\nIgnored,,IVO@example.hr,Split,Ivo d.o.o.\n', '?onDuplicate=update')
    expect(summary).toMatchObject({ imported: 0, updated: 2, duplicates: 0, failed: 0 })
    const [hana] = await findContact('+819012345678')
    expect(hana).toMatchObject({ name: 'Hana', email: 'hana@example.jp', address: { city: 'Tokyo', country: 'JP' } })
    const [ivo] = await findContact('ivo@example.hr')
    expect(ivo).toMatchObject({ name: 'Ivo', company: 'Ivo d.o.o.', address: { city: 'Zagreb' } })
  })

  it('does not guess when a row matches two different contacts', async () => {
    const { summary, failures } = await importCsv(t, 'Phone,Email\n+81 90 1234 5678,ivo@example.hr\n', '?onDuplicate=update')
    expect(summary).toMatchObject({ updated: 0, duplicates: 1 })
    expect(failures[0]?.reason).toContain('matches more than one contact')
  })

  it('two overlapping imports at once create no twins', async () => {
    const rows = Array.from({ length: 1500 }, (_, i) => `P${i},+44 7400 8${String(i).padStart(5, '0')},p${i}@overlap.example`)
    const a = `Name,Phone,Email\n${rows.join('\n')}\n`
    const b = `Name,Phone,Email\n${[...rows].reverse().join('\n')}\n`
    const [ra, rb] = await Promise.all([postCsv(t, a), postCsv(t, b)])
    expect([ra.status, rb.status], `${await ra.clone().text()} ${await rb.clone().text()}`).toEqual([202, 202])
    const [sa, sb] = await Promise.all([waitForImport(t, (await json<{ id: string }>(ra)).id), waitForImport(t, (await json<{ id: string }>(rb)).id)])
    for (const s of [sa, sb]) {
      expect(s.status, JSON.stringify(s)).toBe('completed')
      expect(s.totalRows).toBe(1500)
      expect(s.imported + s.duplicates).toBe(1500)
    }
    expect(sa.imported + sb.imported).toBe(1500)
    const [row] = await t.db.sql<{ n: number }[]>`select count(*)::int as n from contacts where email like '%@overlap.example'`
    expect(row!.n).toBe(1500)
  })
})

describe('history and failures', () => {
  it('lists imports newest first and hides other people’s from agents', async () => {
    const created = await json<{ token: string }>(await t.call('POST', '/v1/users', { name: 'Agent Imp', role: 'agent' }))
    const res = await t.app.request('/v1/imports?fileName=mine.csv', { method: 'POST', headers: { authorization: `Bearer ${created.token}`, 'content-type': 'text/csv' }, body: 'Email\nagent-import@example.com\n' })
    expect(res.status).toBe(202)
    const { id } = await json<{ id: string }>(res)
    await waitForImport(t, id, created.token)
    const mine = await json<ImportJson[]>(await t.call('GET', '/v1/imports', undefined, created.token))
    expect(mine.map((i) => i.id)).toEqual([id])
    const all = await json<ImportJson[]>(await t.call('GET', '/v1/imports'))
    expect(all[0]?.id).toBe(id)
    expect(all.map((i) => i.createdAt)).toEqual([...all.map((i) => i.createdAt)].sort().reverse())
    const someoneElses = all.find((i) => i.ownerId !== mine[0]?.ownerId)!
    expect((await t.call('GET', `/v1/imports/${someoneElses.id}`, undefined, created.token)).status).toBe(404)
  })

  it('pages the history with a Link header', async () => {
    const res = await t.call('GET', '/v1/imports?limit=2')
    const page = await json<ImportJson[]>(res)
    expect(page).toHaveLength(2)
    const next = /<([^>]+)>; rel="next"/.exec(res.headers.get('link') ?? '')?.[1]
    expect(next).toBeDefined()
    const second = await json<ImportJson[]>(await t.call('GET', next!))
    expect(second[0]!.id < page[1]!.id).toBe(true)
  })

  it('gives the failed rows back as a CSV with formulas neutralized', async () => {
    const { summary } = await importCsv(t, 'Name,Phone,Email\n=HYPERLINK("http://evil"),+1 2,\n@SUM(1),,-not-an-email\n')
    expect(summary.failed).toBe(2)
    const res = await t.call('GET', `/v1/imports/${summary.id}/failures?format=csv`)
    expect(res.headers.get('content-type')).toContain('text/csv')
    const text = await res.text()
    const lines = text.replace(/^\ufeff/, '').trim().split(/\r?\n/)
    expect(lines[0]).toBe('row,kind,reason,Name,Phone,Email')
    expect(lines[1]).toMatch(/^2,failed,.*,"'=HYPERLINK\(""http:\/\/evil""\)",'\+1 2,$/)
    expect(lines[2]).toMatch(/^3,failed,.*,'@SUM\(1\),,'-not-an-email$/)
  })

  it('accepts the file as multipart field "file" and keeps its name', async () => {
    const form = new FormData()
    form.append('note', 'ignored')
    form.append('file', new Blob(['Phone,Name\n+44 7400 700300,Multi Part\n'], { type: 'text/csv' }), 'contacts.csv')
    const res = await t.app.request('/v1/imports', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: form })
    expect(res.status).toBe(202)
    const summary = await waitForImport(t, (await json<{ id: string }>(res)).id)
    const failures = await json(await t.call('GET', `/v1/imports/${summary.id}/failures`))
    expect({ ...summary, failures }).toMatchObject({ status: 'completed', fileName: 'contacts.csv', imported: 1 })
  })

  it('refuses a multipart body without a file field', async () => {
    const form = new FormData()
    form.append('other', 'x')
    const res = await t.app.request('/v1/imports', { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, body: form })
    expect(res.status).toBe(400)
  })

  it('answers 404 for an unknown import', async () => {
    expect((await t.call('GET', '/v1/imports/00000000-0000-0000-0000-000000000000')).status).toBe(404)
    expect((await t.call('GET', '/v1/imports/nope/failures')).status).toBe(404)
  })
})
