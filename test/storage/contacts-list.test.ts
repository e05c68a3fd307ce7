import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { v7 as uuidv7 } from 'uuid'
import { EMPTY_CONTACT_FIELDS, type Channel, type ContactFields, type ContactSource, type Preference } from '../../domain/contact.ts'
import type { ListKey, ListSort } from '../../domain/contact-list.ts'
import type { StepLimits } from '../../storage/contact-filter-plan.ts'
import type { FacetFrequencies } from '../../storage/facet-frequencies.ts'
import { parseSearchQuery } from '../../domain/search.ts'
import { countMatching, listContactPage, matchingIds, type ContactFilter } from '../../storage/contact-list.ts'
import { insertContact } from '../../storage/contacts.ts'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database
const owner = uuidv7()
const ids: Record<string, string> = {}
const listId = uuidv7()
const LIST_MEMBERS = ['jose', 'anon1', 'bob', 'dan', 'eve']
const LONG_NOTE = Array.from({ length: 1000 }, (_, i) => String.fromCharCode(0x4e00 + ((i * 7919) % 20000))).join('')

type Seed = { key: string; name: string | null; mobile?: string; email?: string; company?: string; country?: string; source?: ContactSource; preference?: Preference; owned?: boolean; channel?: Channel; chatAt?: string; issue?: boolean }

// In creation order: `newest` lists them backwards. Names differ in their first letter, so every collation sorts them alike.
const SEEDS: Seed[] = [
  { key: 'jose', name: 'José Müller', email: 'jose@example.com', company: 'Acme', country: 'DE', owned: true, chatAt: '2025-03-01T10:00:00.123456Z' },
  { key: 'nguyen', name: 'Nguyễn Văn An', mobile: '+84912345678', source: 'import', channel: 'whatsapp', chatAt: '2025-03-05T10:00:00Z' },
  { key: 'zoe', name: 'Zoë Ångström', email: 'zoe@example.se', country: 'SE', preference: 'proactive', owned: true },
  { key: 'anon1', name: null, email: 'anon1@example.com', source: 'incoming', channel: 'instagram', chatAt: '2025-03-05T10:00:00Z' },
  { key: 'bob', name: 'bob Brown', email: 'bob@example.com', issue: true, country: 'GB' },
  { key: 'carla', name: 'Carla Díaz', email: 'carla@example.es', company: 'Müller GmbH', source: 'crm', channel: 'hubspot' },
  { key: 'anon2', name: null, email: 'anon2@example.com', issue: true },
  { key: 'dan', name: 'Dan Evans', mobile: '+447400123123', owned: true, chatAt: '2025-02-01T00:00:00Z' },
  { key: 'eve', name: 'Eve Fox', email: 'eve@example.com', preference: 'proactive' },
  { key: 'anon3', name: null, email: 'anon3@example.com' },
]

beforeAll(async () => {
  db = await openTestDatabase()
  await db.sql`insert into users (id, name, role) values (${owner}, 'Owner', 'agent')`
  let at = Date.parse('2025-01-01T00:00:00Z')
  for (const s of SEEDS) {
    const id = uuidv7({ msecs: (at += 1000) })
    ids[s.key] = id
    const fields: ContactFields = {
      ...EMPTY_CONTACT_FIELDS, name: s.name, mobile: s.mobile ?? null, email: s.email ?? null, company: s.company ?? null,
      address: s.country === undefined ? {} : { country: s.country },
    }
    const saved = await insertContact(db.sql, {
      id, fields, ownerId: s.owned === true ? owner : null, preference: s.preference ?? 'reactive', source: s.source ?? 'manual',
      issues: s.issue === true ? [{ code: 'missing_country_code', message: 'no country code' }] : [],
      identities: s.channel === undefined ? [] : [{ channel: s.channel, externalId: `x-${s.key}` }], now: new Date(at),
    })
    expect(saved.ok).toBe(true)
    if (s.chatAt !== undefined) {
      await db.sql`insert into chats (id, contact_id, channel, account_id, created_at, last_message_at)
                   values (${uuidv7()}, ${id}, 'whatsapp', 'acct', ${s.chatAt}, ${s.chatAt})`
    }
  }
  // A second, older chat must not list a contact twice.
  await db.sql`insert into chats (id, contact_id, channel, account_id, created_at, last_message_at)
               values (${uuidv7()}, ${ids.jose!}, 'instagram', 'acct', '2024-01-01', '2024-01-01')`
  // A deleted contact is never listed.
  const gone = uuidv7()
  await insertContact(db.sql, { id: gone, fields: { ...EMPTY_CONTACT_FIELDS, name: 'Gone Müller', email: 'gone@example.com' }, ownerId: null, preference: 'reactive', source: 'manual', issues: [], identities: [], now: new Date() })
  await db.sql`update contacts set active = false where id = ${gone}`
  // Custom fields as stored: a number with trailing zeros is the same number, and text "true" is not true.
  const custom: Record<string, string> = { jose: '{"tier": "gold", "score": 1.50, "vip": true}', bob: '{"tier": "gold", "score": 2}', anon2: '{"score": 1.5}', carla: '{"vip": "true"}', zoe: '{"tier": "golden"}' }
  for (const [key, fields] of Object.entries(custom)) await db.sql`update contacts set fields = ${fields}::text::jsonb where id = ${ids[key]!}`
  // 3,000 bytes: more than an index entry holds, so its facet is a hash of it.
  await db.sql`update contacts set fields = fields || ${db.sql.json({ note: LONG_NOTE })} where id = ${ids.eve!}`
  await db.sql`insert into contact_lists (id, name, created_at) values (${listId}, 'Spring', now())`
  for (const id of [...LIST_MEMBERS.map((k) => ids[k]!), gone]) await db.sql`insert into list_members (list_id, contact_id, added_at) values (${listId}, ${id}, now())`
})
afterAll(async () => {
  await db.close()
})

const keyOf = (id: string) => Object.entries(ids).find(([, v]) => v === id)?.[0]
const filter = (q?: string, more: Omit<ContactFilter, 'query'> = {}): ContactFilter => ({ query: parseSearchQuery(q), ...more })

/** Every page forward with `limit`, then every page back from the last; both must give the same order. */
async function walk(sort: ListSort, f: ContactFilter, limit = 3, steps?: StepLimits, frequencies?: FacetFrequencies): Promise<string[]> {
  const more = { ...(steps === undefined ? {} : { steps }), ...(frequencies === undefined ? {} : { frequencies }) }
  const forward: string[] = []
  let after: ListKey | null = null
  const firsts: (ListKey | undefined)[] = []
  for (let guard = 0; guard < 50; guard++) {
    const page = await listContactPage(db.sql, { filter: f, sort, limit, after, direction: 'next', ...more })
    forward.push(...page.items.map((i) => i.contact.id))
    firsts.push(page.items[0]?.key)
    if (!page.more) break
    after = page.items.at(-1)!.key
  }
  const back: string[] = []
  let before = firsts.at(-1)
  while (before !== undefined) {
    const page = await listContactPage(db.sql, { filter: f, sort, limit, after: before, direction: 'prev', ...more })
    back.unshift(...page.items.map((i) => i.contact.id))
    before = page.more ? page.items[0]?.key : undefined
  }
  const lastPage = forward.slice(forward.length - (forward.length % limit || limit))
  expect([...back, ...lastPage]).toEqual(forward)
  return forward.map((id) => keyOf(id) ?? id)
}

describe('contact list: sorts, paging forward and back', () => {
  it('newest first', async () => {
    expect(await walk('newest', filter())).toEqual(SEEDS.map((s) => s.key).reverse())
  })

  it('by name, case-insensitively, the unnamed last (oldest first among them)', async () => {
    expect(await walk('name', filter())).toEqual(['bob', 'carla', 'dan', 'eve', 'jose', 'nguyen', 'zoe', 'anon1', 'anon2', 'anon3'])
    expect(await walk('name', filter(), 1)).toEqual(['bob', 'carla', 'dan', 'eve', 'jose', 'nguyen', 'zoe', 'anon1', 'anon2', 'anon3'])
  })

  it('by last message: latest chat first (ties newest contact first), each contact once, those never written last', async () => {
    const expected = ['anon1', 'nguyen', 'jose', 'dan', 'anon3', 'eve', 'anon2', 'carla', 'bob', 'zoe']
    expect(await walk('last_message', filter())).toEqual(expected)
    expect(await walk('last_message', filter(), 4)).toEqual(expected)
    expect(await walk('last_message', filter(), 1)).toEqual(expected)
  })
})

describe('contact list: filters, combinable with the search', () => {
  const cases: [string, ContactFilter, string[]][] = [
    ['owner', filter(undefined, { ownerId: owner }), ['dan', 'zoe', 'jose']],
    ['no owner, with a search', filter('example.com', { ownerId: null }), ['anon3', 'eve', 'anon2', 'bob', 'anon1']],
    ['source', filter(undefined, { source: 'import' }), ['nguyen']],
    ['preference', filter(undefined, { preference: 'proactive' }), ['eve', 'zoe']],
    ['country', filter(undefined, { country: 'DE' }), ['jose']],
    ['channel', filter(undefined, { channel: 'instagram' }), ['anon1']],
    ['issue', filter(undefined, { issue: 'missing_country_code' }), ['anon2', 'bob']],
    ['issue and search', filter('bob', { issue: 'missing_country_code' }), ['bob']],
    ['phone search and owner', filter('07400 123123', { ownerId: owner }), ['dan']],
    ['phone search and another owner', filter('+447400123123', { ownerId: null }), []],
    ['email search and channel', filter('ANON1@example.com', { channel: 'instagram' }), ['anon1']],
    // Two or more of owner, source, preference and country are collected through their facets (migration 076).
    ['owner and country', filter(undefined, { ownerId: owner, country: 'DE' }), ['jose']],
    ['owner and preference', filter(undefined, { ownerId: owner, preference: 'proactive' }), ['zoe']],
    ['nobody and source', filter(undefined, { ownerId: null, source: 'import' }), ['nguyen']],
    ['country and preference, none', filter(undefined, { country: 'DE', preference: 'proactive' }), []],
    ['owner, preference and channel', filter(undefined, { ownerId: owner, preference: 'reactive', channel: 'whatsapp' }), []],
    ['source and channel', filter(undefined, { source: 'crm', channel: 'hubspot' }), ['carla']],
    // Custom field values and issues are facets too (migration 079), matched as `fields @>` matches them.
    ['field and country', filter(undefined, { fieldEquals: { tier: 'gold' }, country: 'DE' }), ['jose']],
    ['field and owner, a longer value not matching', filter(undefined, { fieldEquals: { tier: 'gold' }, ownerId: owner }), ['jose']],
    ['field and issue', filter(undefined, { fieldEquals: { tier: 'gold' }, issue: 'missing_country_code' }), ['bob']],
    ['a number field however written, and an owner', filter(undefined, { fieldEquals: { score: 1.5 }, ownerId: owner }), ['jose']],
    ['a number field and nobody', filter(undefined, { fieldEquals: { score: 1.5 }, ownerId: null }), ['anon2']],
    ['a yes/no field, not its text, and a preference', filter(undefined, { fieldEquals: { vip: true }, preference: 'reactive' }), ['jose']],
    ['a long text field and a preference', filter(undefined, { fieldEquals: { note: LONG_NOTE }, preference: 'proactive' }), ['eve']],
    ['two fields and an issue', filter(undefined, { fieldEquals: { tier: 'gold', score: 2 }, issue: 'missing_country_code' }), ['bob']],
    // A list newest first is walked along its members (a deleted one among them).
    ['list', filter(undefined, { listId }), ['eve', 'dan', 'bob', 'anon1', 'jose']],
    ['list and owner', filter(undefined, { listId, ownerId: owner }), ['dan', 'jose']],
    ['list and search', filter('müller', { listId }), ['jose']],
  ]
  for (const [what, f, expected] of cases) {
    it(what, async () => {
      expect(await walk('newest', f, 2)).toEqual(expected)
      expect((await walk('name', f, 2)).sort()).toEqual([...expected].sort())
      expect((await walk('last_message', f, 2)).sort()).toEqual([...expected].sort())
      expect(await countMatching(db.sql, f, 10_000)).toEqual({ count: expected.length, exact: true })
      expect((await matchingIds(db.sql, f, 100, null)).map(keyOf)).toEqual(expected)
    })
    // A filtered page answers from its first rows, else from its collected matches, else by walking: on a book
    // this small only shrunken limits reach the last two steps, and each must give the same pages.
    it(`${what}, collected and sorted`, async () => {
      for (const sort of ['newest', 'name', 'last_message'] as const) expect(await walk(sort, f, 2, { walk: 1, walkSorted: 1, collect: 100, collectSorted: 100 })).toEqual(await walk(sort, f, 2))
    })
    // On a book where every facet is common, the index is searched for one of them and the rows it finds tested for the rest.
    it(`${what}, collected through fewer facets`, async () => {
      const common: FacetFrequencies = { rows: 1_000_000, of: () => 0.99 }
      for (const sort of ['newest', 'name', 'last_message'] as const) expect(await walk(sort, f, 2, { walk: 1, walkSorted: 1, collect: 100, collectSorted: 100 }, common)).toEqual(await walk(sort, f, 2))
    })
    it(`${what}, walked past the first rows`, async () => {
      for (const sort of ['newest', 'name', 'last_message'] as const) expect(await walk(sort, f, 2, { walk: 1, walkSorted: 1, collect: 0, collectSorted: 0 })).toEqual(await walk(sort, f, 2))
    })
  }
})

describe('search ignores case and accents', () => {
  const cases: [string, string[]][] = [
    ['muller', ['carla', 'jose']],
    ['MÜLLER', ['carla', 'jose']],
    ['jose muller', ['jose']],
    ['nguyen', ['nguyen']],
    ['nguyen van an', ['nguyen']],
    ['angstrom', ['zoe']],
    ['zoe', ['zoe']],
    ['diaz', ['carla']],
    ['Díaz', ['carla']],
    ['100%', []],
  ]
  for (const [q, expected] of cases) {
    it(q, async () => {
      expect(await walk('newest', filter(q))).toEqual(expected)
    })
  }
})

describe('counting', () => {
  it('is exact up to the cap and says "about" beyond it', async () => {
    expect(await countMatching(db.sql, filter(), 10_000)).toEqual({ count: 10, exact: true })
    const over = await countMatching(db.sql, filter(), 4)
    expect(over.exact).toBe(false)
    expect(over.count).toBeGreaterThanOrEqual(4)
  })

  it('pages ids in batches', async () => {
    const all = await matchingIds(db.sql, filter(), 4, null)
    const next = await matchingIds(db.sql, filter(), 100, all.at(-1)!)
    expect([...all, ...next].map(keyOf)).toEqual(SEEDS.map((s) => s.key).reverse())
  })
})
