import { Writable } from 'node:stream'
import { v7 as uuidv7 } from 'uuid'
import type { Database } from '../../storage/db.ts'
import type { Sql } from '../../storage/sql.ts'
import { openBenchDatabase } from './bench-db.ts'
import { person, rng, type FakePerson } from './fake-people.ts'

export const SEARCH_BOOK_ROWS = 1_000_000
const SEED = 42

function tsv(value: string | null): string {
  return value === null ? '\\N' : value.replace(/[\\\t\n\r]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[c] ?? c)
}

async function seed(sql: Sql, rows: number): Promise<number> {
  const started = performance.now()
  const random = rng(SEED)
  const epoch = Date.parse('2024-01-01T00:00:00Z')
  const stream = (await sql`copy contacts (id, name, mobile, email, company, country, country_source, preference, source, created_at, updated_at) from stdin`.writable()) as Writable
  for (let i = 0; i < rows; i++) {
    const p = person(random, i)
    const at = new Date(epoch + i * 60_000).toISOString()
    const line = [uuidv7({ msecs: epoch + i * 60_000 }), p.name, p.mobile, p.email, p.company, p.country, 'detected', i % 3 === 0 ? 'proactive' : 'reactive', 'import', at, at].map(tsv).join('\t')
    if (!stream.write(`${line}\n`)) await new Promise((resolve) => stream.once('drain', resolve))
  }
  await new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())))
  await sql`analyze contacts`
  return (performance.now() - started) / 1000
}

/**
 * The search benchmarks' book: `rows` realistic contacts (30 countries' mobile formats) in the scratch database
 * cg_bench_search, seeded once and reused by later runs (and by other benchmarks) unless `reseed`.
 */
export async function openSearchBook(options: { rows?: number; reseed?: boolean } = {}): Promise<{ db: Database; url: string; rows: number; seedSeconds: number | null }> {
  const rows = options.rows ?? SEARCH_BOOK_ROWS
  const { db, url } = await openBenchDatabase('cg_bench_search', options.reseed ?? false)
  const [{ count } = { count: 0 }] = await db.sql<{ count: number }[]>`select count(*)::int as count from contacts`
  let seedSeconds: number | null = null
  if (count !== rows) {
    await db.sql`truncate contacts cascade`
    seedSeconds = await seed(db.sql, rows)
  }
  return { db, url, rows, seedSeconds }
}

/** The people the seed wrote at these indexes, in the given order: the seeded generator is replayed once. */
export function peopleAt(indexes: number[]): FakePerson[] {
  const wanted = new Set(indexes)
  const found = new Map<number, FakePerson>()
  const random = rng(SEED)
  const last = Math.max(...indexes)
  for (let i = 0; i <= last; i++) {
    const p = person(random, i)
    if (wanted.has(i)) found.set(i, p)
  }
  return indexes.map((i) => found.get(i) as FakePerson)
}
