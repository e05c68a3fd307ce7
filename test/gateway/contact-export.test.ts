import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Contact } from '../../domain/contact.ts'
import type { CustomFieldDefinition } from '../../domain/custom-fields.ts'
import { filteredCsv, wholeBookCsv } from '../../storage/contact-export.ts'
import { parseSearchQuery } from '../../domain/search.ts'
import { ADMIN_TOKEN, deliver, json, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { expectedExport } from '../helpers/csv-oracle.ts'
import { waText } from '../helpers/meta.ts'

// The export is written by PostgreSQL; here it must match, byte for byte, what csv-stringify writes for the same
// contacts as the API returns them, on values that need quoting, neutralizing, or both.
const FIELDS: CustomFieldDefinition[] = [
  { key: 'tier', label: 'Tier', type: 'choice', choices: ['Gold', 'Silver, "Plus"'] },
  { key: 'spend', label: 'Yearly spend', type: 'number' },
  { key: 'renewal', label: 'Renewal date', type: 'date' },
  { key: 'vip', label: 'VIP', type: 'boolean' },
  { key: 'notes', label: '=Notes, "free"', type: 'text' },
]

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ DEFAULT_COUNTRY: 'GB', ...META_ENV })
  for (const field of FIELDS) expect((await t.call('POST', '/v1/fields', field)).status).toBe(201)
  const people = [
    { name: 'Bob "the, builder"', mobile: '07400 123123', labels: ['VIP', 'Trade, wholesale'], fields: { tier: 'Silver, "Plus"', spend: 1200.5, vip: true } },
    { name: '=HYPERLINK("http://evil")', email: 'evil@example.com', company: '+1+1', social: { instagram: '@zoe.a', twitter: 'https://x.com/zoe' }, dateOfBirth: '1990-04-01', fields: { vip: false, notes: '-minus\nsecond line' } },
    { name: 'Nguyễn Văn An', mobile: '+84 912 345 678', otherMobiles: ['+84 913 345 678'], otherEmails: ['a@x.vn', 'b@x.vn'], address: { street: '1 High St\r\nFlat 2', city: 'Hà Nội', zip: '@100000', state: '\tTab', country: 'Vietnam' }, fields: { renewal: '2027-03-01', tier: 'Gold' } },
    { name: null, email: 'plain@example.com', company: 'Comma, Inc', labels: ['@home'] },
    { name: 'Zoë', email: 'zoe@example.se', preference: 'proactive', fields: { notes: 'say "hi"' } },
  ]
  for (const p of people) expect((await t.call('POST', '/v1/contacts', p)).status, JSON.stringify(p)).toBe(201)
  // One contact with identities from a channel, as an incoming message makes them.
  expect((await deliver(t, 'whatsapp', waText({ waId: '447400999111', name: 'Wanda', id: 'wamid.export.1', text: 'hi' }))).status).toBe(200)
})
afterAll(async () => {
  await t.close()
})

async function exported(query: string): Promise<string> {
  const res = await t.app.request(`/v1/contacts/export.csv${query}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
  expect(res.status, query).toBe(200)
  return Buffer.from(await res.arrayBuffer()).toString('utf8')
}

async function everyContact(): Promise<Contact[]> {
  const page = await json<{ items: Contact[] }>(await t.call('GET', '/v1/contacts?limit=100'))
  return page.items
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = []
  for await (const item of items) all.push(item)
  return all
}

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = ''
  for await (const chunk of chunks) all += chunk
  return all
}

describe('the contact export', () => {
  it('is byte for byte what csv-stringify writes for the same contacts, newest first: the whole book (COPY)', async () => {
    const contacts = await everyContact()
    expect(contacts.length).toBe(6)
    expect(contacts.some((c) => c.identities.length > 0 && c.labels.length === 0)).toBe(true)
    expect(await exported('')).toBe(expectedExport(contacts, FIELDS))
  })

  it('and filtered (lines put together by the database), a filter matching nothing included', async () => {
    const contacts = await everyContact()
    expect(await exported('?preference=reactive')).toBe(expectedExport(contacts.filter((c) => c.preference === 'reactive'), FIELDS))
    expect(await exported('?label=VIP')).toBe(expectedExport(contacts.filter((c) => c.labels.includes('VIP')), FIELDS))
    expect(await exported('?country=FR')).toBe(expectedExport([], FIELDS))
  })

  it('reads in batches that join up exactly, whatever the batch size', async () => {
    const filter = { query: parseSearchQuery('', 'GB'), preference: 'reactive' as const }
    const whole = await text(filteredCsv(t.db.sql, filter, FIELDS))
    for (const size of [1, 2, 5, 6]) {
      expect(await text(filteredCsv(t.db.sql, filter, FIELDS, size)), `batches of ${size}`).toBe(whole)
    }
  })

  it('gives its connection back when the reader stops halfway through a COPY', async () => {
    await t.db.sql`
      insert into contacts (id, name, email, preference, source, created_at, updated_at)
      select gen_random_uuid(), 'Bulk ' || n, 'bulk' || n || '@example.com', 'reactive', 'manual', now(), now() from generate_series(1, 3000) as n`
    const whole = async () => Buffer.concat(await collect(wholeBookCsv(t.db.sql, FIELDS))).toString('utf8')
    const expected = await whole()
    for (let i = 0; i < 12; i++) {
      for await (const _piece of wholeBookCsv(t.db.sql, FIELDS)) break
    }
    // More abandoned exports than the pool has connections: each was given back, and the next export is whole.
    expect(await whole()).toBe(expected)
    expect((parse(expected) as string[][]).length).toBe(3000 + 6)
  })
})
