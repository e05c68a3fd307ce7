/**
 * Labels and contact lists on the 1,000,000-contact search book in a real PostgreSQL, through the whole app:
 *  - adding the 100,000 contacts that carry a label to a list (POST /v1/lists/:id/members {filter}), against
 *    PostgreSQL inserting the same 100,000 memberships with one plain insert … select in the same run;
 *  - the reach of that 100,000-member list (GET /v1/lists/:id/reach), against counting its members once;
 *  - the contacts page filtered by a common label, a rare one, two labels, and a label with a country, against
 *    the unfiltered first page in the same run (target: p95 < 50 ms).
 * One JSON line; run it three times and quote medians.   DATABASE_URL=postgres://… npm run bench:organizing
 */
import { pino } from 'pino'
import { createApp } from '../gateway/app.ts'
import { parseConfig } from '../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../gateway/connect.ts'
import type { Sql } from '../storage/sql.ts'
import { openSearchBook, SEARCH_BOOK_ROWS } from './lib/search-book.ts'
import { round, summarize } from './lib/stats.ts'

const TOKEN = 'bench-admin-token-0123456789abcdef'
const REQUESTS = 100
// Every tenth contact is "Wholesale" (100,000), every 1,000th "VIP" (1,000), every third "Newsletter".
const LABELS: [string, number][] = [['Wholesale', 10], ['VIP', 1000], ['Newsletter', 3]]

/** The labels, once per database: a set-based update of the book by row number. */
async function labelBook(sql: Sql): Promise<void> {
  const [done] = await sql<{ n: number }[]>`select count(*)::int as n from labels where name = 'Wholesale'`
  if ((done?.n ?? 0) > 0) return
  for (const [name, every] of LABELS) {
    const id = crypto.randomUUID()
    await sql`insert into labels (id, name, name_key, created_at) values (${id}, ${name}, ${name.toLowerCase()}, now())`
    await sql`
      update contacts c set label_ids = c.label_ids || ${id}::uuid
      from (select id, row_number() over (order by id) as n from contacts) r
      where r.id = c.id and r.n % ${every} = 0`
  }
  await sql`vacuum analyze contacts`
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now()
  const value = await work()
  return { ms: performance.now() - started, value }
}

async function main() {
  const { db } = await openSearchBook()
  await labelBook(db.sql)
  const config = parseConfig({ ADMIN_API_TOKEN: TOKEN, LOG_LEVEL: 'silent', ADMIN_RATE_LIMIT_PER_MINUTE: '100000000' })
  const { deps } = buildDeps(config, db.sql, { logger: pino({ level: 'silent' }) })
  await ensureBootstrapAdmin(deps)
  const app = createApp(deps)
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.request(`http://127.0.0.1${path}`, {
      method, headers: { authorization: `Bearer ${TOKEN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    const text = await res.text()
    if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
    return (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>
  }

  // The floor: the same 100,000 memberships by one plain insert … select, into a table like list_members.
  await db.sql`create temporary table floor_members (like list_members including all)`
  const [wholesale] = await db.sql<{ id: string }[]>`select id from labels where name = 'Wholesale'`
  const floor = await timed(() => db.sql`
    insert into floor_members (list_id, contact_id, added_at)
    select ${crypto.randomUUID()}::uuid, id, now() from contacts where active and label_ids @> array[${wholesale?.id ?? ''}::uuid]`)
  const list = await call('POST', '/v1/lists', { name: `Bench ${new Date().toISOString()}` })
  const add = await timed(() => call('POST', `/v1/lists/${String(list.id)}/members`, { filter: { label: 'Wholesale' } }))

  const countFloor = await timed(() => db.sql`select count(*) from list_members m join contacts c on c.id = m.contact_id and c.active where m.list_id = ${String(list.id)}`)
  const reachSamples: number[] = []
  let reach: Record<string, unknown> = {}
  for (let i = 0; i < 5; i++) {
    const r = await timed(() => call('GET', `/v1/lists/${String(list.id)}/reach?channel=whatsapp&kind=template`))
    reachSamples.push(r.ms)
    reach = r.value
  }
  const pages = async (path: string) => {
    for (let i = 0; i < 10; i++) await call('GET', path)
    const samples: number[] = []
    for (let i = 0; i < REQUESTS; i++) samples.push((await timed(() => call('GET', path))).ms)
    return summarize(samples)
  }
  const unfiltered = await pages('/v1/contacts?limit=50')
  const filters = {
    common: await pages('/v1/contacts?limit=50&label=Wholesale'),
    rare: await pages('/v1/contacts?limit=50&label=VIP'),
    two: await pages('/v1/contacts?limit=50&label=Wholesale&label=Newsletter'),
    rareTwo: await pages('/v1/contacts?limit=50&label=VIP&label=Newsletter'),
    withCountry: await pages('/v1/contacts?limit=50&label=VIP&country=BR'),
    none: await pages('/v1/contacts?limit=50&label=VIP&label=Wholesale&country=JP'),
  }
  const worst = Object.entries(filters).sort((a, b) => b[1].p95 - a[1].p95)[0]
  await call('DELETE', `/v1/lists/${String(list.id)}`)
  console.log(JSON.stringify({
    bench: 'organizing', rows: SEARCH_BOOK_ROWS,
    addMembers: { added: add.value.added, ms: round(add.ms), floorMs: round(floor.ms), ratio: round(add.ms / floor.ms) },
    reach: { reach, ...summarize(reachSamples), countFloorMs: round(countFloor.ms), ratio: round(summarize(reachSamples).p50 / countFloor.ms) },
    labelFilter: { unfiltered, ...filters, worst: worst?.[0], worstP95Ratio: round((worst?.[1].p95 ?? 0) / unfiltered.p95) },
  }))
  await db.close()
}

await main()
