import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from '../helpers/app.ts'
import { importCsv, POLLING_ENV } from '../helpers/imports.ts'

type ContactJson = Record<string, unknown> & { id: string; name: string | null }
type PageJson = { items: ContactJson[]; nextCursor: string | null }
type ErrorJson = { error: { code: string; message: string; details: { field: string }[] } }

let t: TestApp
let me: string
beforeAll(async () => {
  t = await startTestApp({ DEFAULT_COUNTRY: 'GB', ...POLLING_ENV })
  me = (await json<{ id: string }>(await t.call('GET', '/v1/me'))).id
  const people = [
    { name: 'José Müller', mobile: '+49 1512 3456789', email: 'jose@example.de', company: 'Acme', preference: 'proactive' },
    { name: 'Nguyễn Văn An', mobile: '+84 912 345 678', otherMobiles: ['+84 913 345 678', '+84 914 345 678'], ownerId: null },
    { name: 'Zoë Ångström', email: 'zoe@example.se', otherEmails: ['zoe@work.se', 'z@home.se'], address: { country: 'Sverige', city: 'Malmö' } },
    { name: '=HYPERLINK("http://evil")', email: 'evil@example.com', company: '+1+1', social: { instagram: '@zoe.a', twitter: 'https://x.com/zoe' }, dateOfBirth: '1990-04-01' },
    { name: 'Bob "the, builder"', mobile: '07400 123123', address: { street: '1 High St\nFlat 2', zip: 'N1 1AA', state: 'London' } },
  ]
  for (const p of people) expect((await t.call('POST', '/v1/contacts', p)).status).toBe(201)
})
afterAll(async () => {
  await t.close()
})

const list = async (query: string) => {
  const res = await t.call('GET', `/v1/contacts?${query}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return json<PageJson>(res)
}
const names = async (query: string) => (await list(query)).items.map((c) => c.name)

describe('GET /v1/contacts filters and sorts', () => {
  it('searches ignoring case and accents', async () => {
    expect(await names('q=muller')).toEqual(['José Müller'])
    expect(await names('q=nguyen')).toEqual(['Nguyễn Văn An'])
    expect(await names('q=ANGSTROM')).toEqual(['Zoë Ångström'])
  })

  it('filters, combinable with q', async () => {
    expect(await names('owner=none')).toEqual(['Nguyễn Văn An'])
    expect((await names(`owner=${me}`)).length).toBe(4)
    expect(await names('preference=proactive')).toEqual(['José Müller'])
    expect(await names('country=Deutschland')).toEqual(['José Müller'])
    expect(await names('country=se&q=zoe')).toEqual(['Zoë Ångström'])
    expect(await names('country=se&q=muller')).toEqual([])
    expect((await names('source=manual')).length).toBe(5)
    expect(await names('source=import')).toEqual([])
    expect(await names('channel=whatsapp')).toEqual([])
    expect(await names('issue=missing_country_code')).toEqual([])
  })

  it('sorts by name, and pages with the cursor it returned', async () => {
    const all = await names('sort=name')
    expect(all).toEqual(['=HYPERLINK("http://evil")', 'Bob "the, builder"', 'José Müller', 'Nguyễn Văn An', 'Zoë Ångström'])
    const first = await list('sort=name&limit=2')
    const second = await list(`sort=name&limit=2&cursor=${first.nextCursor}`)
    expect(second.items.map((c) => c.name)).toEqual(all.slice(2, 4))
    expect(await names('sort=last_message')).toEqual(await names('sort=newest'))
  })

  it('refuses bad values with 400 naming the field', async () => {
    for (const [query, field] of [['owner=bob', 'owner'], ['source=fax', 'source'], ['preference=maybe', 'preference'], ['country=Atlantis', 'country'],
      ['channel=fax', 'channel'], ['issue=bad', 'issue'], ['sort=oldest', 'sort']] as const) {
      const res = await t.call('GET', `/v1/contacts?${query}`)
      expect(res.status, query).toBe(400)
      const body = await json<ErrorJson>(res)
      expect(body.error.code).toBe('malformed_request')
      expect(body.error.details[0]?.field).toBe(field)
    }
    const page = await list('sort=name&limit=1')
    const res = await t.call('GET', `/v1/contacts?sort=newest&cursor=${page.nextCursor}`)
    expect(res.status).toBe(400)
  })

  it('documents the parameters in the OpenAPI document', async () => {
    const doc = await json<{ paths: Record<string, { get?: { parameters?: { name: string }[] } }> }>(await t.call('GET', '/openapi.json'))
    const params = doc.paths['/v1/contacts']?.get?.parameters?.map((p) => p.name)
    expect(params).toEqual(expect.arrayContaining(['q', 'owner', 'source', 'preference', 'country', 'channel', 'issue', 'sort', 'limit', 'cursor']))
    expect(doc.paths['/v1/contacts/export.csv']?.get).toBeDefined()
  })
})

describe('GET /v1/contacts/export.csv', () => {
  const exportCsv = async (query = '') => {
    const res = await t.app.request(`/v1/contacts/export.csv${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
    expect(res.status, await res.clone().text()).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/csv')
    return new Uint8Array(await res.arrayBuffer())
  }

  it('is UTF-8 with a BOM, one column per field, formulas neutralized', async () => {
    const bytes = await exportCsv()
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const rows = parse(new TextDecoder().decode(bytes.slice(3))) as string[][]
    expect(rows[0]).toEqual(['id', 'name', 'mobile', 'email', 'dateOfBirth', 'company', 'street', 'city', 'state', 'zip', 'country',
      'instagram', 'facebook', 'linkedin', 'twitter', 'otherMobiles', 'otherEmails', 'ownerId', 'preference', 'source', 'identities', 'createdAt', 'updatedAt', 'Labels'])
    expect(rows.length).toBe(6)
    const evil = rows.find((r) => r[3] === 'evil@example.com')!
    expect(evil[1]).toBe(`'=HYPERLINK("http://evil")`)
    expect(evil[5]).toBe(`'+1+1`)
    const nguyen = rows.find((r) => r[1] === 'Nguyễn Văn An')!
    expect(nguyen[2]).toBe(`'+84912345678`)
    expect(nguyen[15]).toBe(`'+84913345678; +84914345678`)
    expect(nguyen[17]).toBe('')
  })

  it('takes the same filters', async () => {
    const rows = parse(new TextDecoder().decode((await exportCsv('?q=muller')).slice(3))) as string[][]
    expect(rows.map((r) => r[1])).toEqual(['name', 'José Müller'])
    expect((await t.call('GET', '/v1/contacts/export.csv?country=Atlantis')).status).toBe(400)
  })

  it('imports back with no failures and no changes', async () => {
    const before = await list('limit=100')
    const { summary, failures } = await importCsv(t, await exportCsv())
    expect(summary).toMatchObject({ totalRows: 5, imported: 0, updated: 0, duplicates: 5, failed: 0 })
    expect(failures.every((f) => f.kind === 'duplicate')).toBe(true)
    expect(await list('limit=100')).toEqual(before)
  })

  it('imports into an empty book as the same contacts, every field read back', async () => {
    const other = await startTestApp({ DEFAULT_COUNTRY: 'GB', ...POLLING_ENV })
    try {
      const { summary } = await importCsv(other, await exportCsv())
      expect(summary).toMatchObject({ totalRows: 5, imported: 5, failed: 0 })
      // Ids, owners and times are the new book's; consent (preference) is never taken from a file.
      const strip = (c: ContactJson) => {
        const { id: _i, ownerId: _o, source: _s, createdAt: _c, updatedAt: _u, preference: _p, ...rest } = c
        return rest
      }
      const original = (await list('limit=100&sort=name')).items.map(strip)
      const copied = (await json<PageJson>(await other.call('GET', '/v1/contacts?limit=100&sort=name'))).items.map(strip)
      expect(copied).toEqual(original)
    } finally {
      await other.close()
    }
  })
})
