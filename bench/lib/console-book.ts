import { Writable } from 'node:stream'
import { v7 as uuidv7 } from 'uuid'
import type { Channel } from '../../domain/contact.ts'
import { labelKey } from '../../domain/labels.ts'
import type { Database } from '../../storage/db.ts'
import type { Fragment, Sql } from '../../storage/sql.ts'
import { openBenchDatabase } from './bench-db.ts'
import { AGENTS, bookRows, LABELS } from './console-book-shape.ts'
import { mobileFor, rng } from './fake-people.ts'

export const CONSOLE_BOOK_ROWS = 1_000_000
const DATABASE = 'cg_bench_console'
const SEED = 2024
/** Bumped when the shape changes, so that a book seeded by older code is seeded again. */
const VERSION = 'console-book v1'
const CRM_SYNC = 120_000
const START = Date.parse('2023-01-01T00:00:00Z')
const CHANNEL_BITS: Channel[] = ['whatsapp', 'instagram', 'messenger', 'hubspot', 'zoho']
/** The lists, each built from the book the way people build them: from a label, a country, a preference. */
const LISTS = ['Wholesale DE', 'VIP outreach', 'Webinar IN', 'Spring promo GB'] as const

export type ConsoleBook = { db: Database; rows: number; seedSeconds: number | null; owners: Map<string, string>; lists: Map<string, string> }

function tsv(value: string | null): string {
  return value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c)
}

async function copyLines(into: Fragment, lines: Iterable<string>): Promise<void> {
  const stream = (await into.writable()) as Writable
  for (const line of lines) if (!stream.write(`${line}\n`)) await new Promise((resolve) => stream.once('drain', resolve))
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())))
}

/** What the contacts' COPY leaves for the identities' and chats' COPYs: each row's id, time and channels. */
type Written = { ids: string[]; at: Float64Array; channels: Uint8Array }

function* contactLines(rows: number, owners: Map<string, string>, labels: Map<string, string>, written: Written): Generator<string> {
  const random = rng(SEED)
  const perCountry = new Map<string, number>()
  let at = START
  let i = 0
  for (const r of bookRows(random, rows, CRM_SYNC)) {
    at += r.burst ? 20 : 90_000
    const id = uuidv7({ msecs: at })
    written.ids[i] = id
    written.at[i] = at
    written.channels[i] = r.channels.reduce((m, c) => m | (1 << CHANNEL_BITS.indexOf(c)), 0)
    const n = r.country === null ? 0 : (perCountry.get(r.country) ?? 0) + 1
    if (r.country !== null) perCountry.set(r.country, n)
    const time = new Date(at).toISOString()
    yield [
      id, r.name, r.mobile && r.country !== null ? mobileFor(r.country, n) : null, r.email ? `${r.first}.${r.last}.${i}@example.com`.toLowerCase() : null,
      r.company, r.country, r.countrySource, r.preference, r.source, r.owner === null ? null : (owners.get(r.owner) ?? null),
      JSON.stringify(r.issue ? [{ code: 'missing_country_code', message: 'The number has no country code and no country is set.' }] : []),
      `{${r.labels.map((l) => labels.get(l)).join(',')}}`, JSON.stringify(r.fields), time, time,
    ].map(tsv).join('\t')
    i++
  }
}

function* identityLines(w: Written): Generator<string> {
  for (let i = 0; i < w.ids.length; i++) {
    for (const [bit, channel] of CHANNEL_BITS.entries()) {
      if ((w.channels[i]! & (1 << bit)) !== 0) yield [channel, `${channel}-${i}`, w.ids[i]!, new Date(w.at[i]!).toISOString()].join('\t')
    }
  }
}

/** One chat per messaging identity; its last message some days after the contact came (most recent in weeks). */
function* chatLines(w: Written, end: number): Generator<string> {
  const random = rng(SEED + 1)
  for (let i = 0; i < w.ids.length; i++) {
    for (const [bit, channel] of CHANNEL_BITS.slice(0, 3).entries()) {
      if ((w.channels[i]! & (1 << bit)) === 0) continue
      const last = Math.min(end, w.at[i]! + -Math.log(1 - random()) * 20 * 86_400_000)
      yield [uuidv7({ msecs: w.at[i]! }), w.ids[i]!, channel, 'main', new Date(w.at[i]!).toISOString(), new Date(last).toISOString()].join('\t')
    }
  }
}

async function seed(sql: Sql, rows: number): Promise<number> {
  const started = performance.now()
  await sql`truncate users, contacts, identities, chats, labels, custom_fields, contact_lists, list_members cascade`
  const owners = new Map(AGENTS.map((a) => [a, crypto.randomUUID()]))
  await sql`insert into users ${sql([...owners].map(([name, id]) => ({ id, name, role: 'agent' })))}`
  const labels = new Map(LABELS.map((l) => [l, crypto.randomUUID()]))
  await sql`insert into labels ${sql([...labels].map(([name, id]) => ({ id, name, name_key: labelKey(name), created_at: new Date(START) })))}`
  await sql`insert into custom_fields (key, label, type, choices, created_at) values
    ('tier', 'Tier', 'choice', ${sql.json(['gold', 'silver', 'bronze'])}, ${new Date(START)}), ('newsletter', 'Newsletter', 'boolean', null, ${new Date(START)})`
  const written: Written = { ids: new Array<string>(rows), at: new Float64Array(rows), channels: new Uint8Array(rows) }
  await copyLines(sql`copy contacts (id, name, mobile, email, company, country, country_source, preference, source, owner_id, issues, label_ids, fields, created_at, updated_at) from stdin`,
    contactLines(rows, owners, labels, written))
  await copyLines(sql`copy identities (channel, external_id, contact_id, created_at) from stdin`, identityLines(written))
  await copyLines(sql`copy chats (id, contact_id, channel, account_id, created_at, last_message_at) from stdin`, chatLines(written, written.at[rows - 1] ?? START))
  await buildLists(sql, labels)
  await sql`vacuum analyze`
  return (performance.now() - started) / 1000
}

async function buildLists(sql: Sql, labels: Map<string, string>): Promise<void> {
  const ids = new Map(LISTS.map((l) => [l, crypto.randomUUID()]))
  await sql`insert into contact_lists ${sql([...ids].map(([name, id]) => ({ id, name, created_at: new Date(START) })))}`
  const members = (list: (typeof LISTS)[number], where: Fragment) => sql`
    insert into list_members (list_id, contact_id, added_at) select ${ids.get(list) ?? ''}::uuid, c.id, c.created_at from contacts c where c.active and ${where}`
  await members('Wholesale DE', sql`c.label_ids @> array[${labels.get('Wholesale') ?? ''}]::uuid[] and c.country = 'DE'`)
  await members('VIP outreach', sql`c.label_ids @> array[${labels.get('VIP') ?? ''}]::uuid[]`)
  // A webinar's sign-ups: a twentieth of the chats from India.
  await members('Webinar IN', sql`c.source = 'incoming' and c.country = 'IN' and abs(hashtext(c.id::text)) % 20 = 0`)
  await members('Spring promo GB', sql`c.preference = 'proactive' and c.country = 'GB'`)
}

/**
 * The console benchmark's book: `rows` contacts correlated as described in console-book-shape.ts, in the scratch
 * database cg_bench_console, seeded once (through COPY and set-based SQL) and reused by later runs unless `reseed`.
 * A table of its own (bench_book) records what was seeded, so a book of another size or shape is seeded again.
 */
export async function openConsoleBook(options: { rows?: number; reseed?: boolean } = {}): Promise<ConsoleBook> {
  const rows = options.rows ?? CONSOLE_BOOK_ROWS
  const { db } = await openBenchDatabase(DATABASE, options.reseed ?? false)
  const marker = `${VERSION} rows=${rows}`
  await db.sql`create table if not exists bench_book (marker text not null)`
  const [current] = await db.sql<{ marker: string }[]>`select marker from bench_book`
  let seedSeconds: number | null = null
  if (current?.marker !== marker) {
    await db.sql`delete from bench_book`
    seedSeconds = await seed(db.sql, rows)
    await db.sql`insert into bench_book (marker) values (${marker})`
  }
  const owners = new Map((await db.sql<{ name: string; id: string }[]>`select name, id from users where role = 'agent'`).map((u) => [u.name, u.id]))
  const lists = new Map((await db.sql<{ name: string; id: string }[]>`select name, id from contact_lists`).map((l) => [l.name, l.id]))
  return { db, rows, seedSeconds, owners, lists }
}
