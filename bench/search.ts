/**
 * Search latency on 1,000,000 realistic contacts in a real PostgreSQL: name fragments, whole emails and phone
 * numbers written three ways, through the full HTTP app (auth, validation, JSON). Prints one JSON line.
 *   DATABASE_URL=postgres://… npm run bench:search [-- --reseed] [-- --rows 1000000]
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max'
import { pino } from 'pino'
import { createApp } from '../gateway/app.ts'
import { parseConfig } from '../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../gateway/connect.ts'
import type { Deps } from '../gateway/deps.ts'
import { rng } from './lib/fake-people.ts'
import { openSearchBook, peopleAt, SEARCH_BOOK_ROWS } from './lib/search-book.ts'
import { round, summarize } from './lib/stats.ts'

const args = process.argv.slice(2)
const ROWS = Number(args[args.indexOf('--rows') + 1] ?? '') || SEARCH_BOOK_ROWS
const RESEED = args.includes('--reseed')
const QUERIES_PER_KIND = 300
const TOKEN = 'bench-admin-token-0123456789abcdef'

async function main() {
  const { db, seedSeconds } = await openSearchBook({ rows: ROWS, reseed: RESEED })
  const sql = db.sql
  const config = parseConfig({ ADMIN_API_TOKEN: TOKEN, LOG_LEVEL: 'silent', ADMIN_RATE_LIMIT_PER_MINUTE: '100000000' })
  const deps: Deps = buildDeps(config, sql, { logger: pino({ level: 'silent' }) }).deps
  await ensureBootstrapAdmin(deps)
  const app = createApp(deps)

  const random = rng(7)
  const people = peopleAt(Array.from({ length: QUERIES_PER_KIND }, () => Math.floor(random() * ROWS)))
  const national = (e164: string) => parsePhoneNumberFromString(e164)?.formatNational() ?? e164
  const kinds: Record<string, string[]> = {
    name_fragment: people.map((p) => { const s = Math.floor(random() * Math.max(1, p.last.length - 4)); return p.last.slice(s, s + 4).toLowerCase() }),
    full_name: people.map((p) => p.name),
    rare_fragment: people.map((p) => p.email.split('@')[0]?.split('.').slice(1).join('.') ?? p.email),
    no_match: people.map((_, i) => `zq${(i * 7919).toString(36)}x`),
    email: people.map((p) => p.email),
    phone_e164: people.map((p) => p.mobile),
    phone_national: people.map((p) => national(p.mobile)),
    phone_digits: people.map((p) => (parsePhoneNumberFromString(p.mobile)?.nationalNumber as string | undefined) ?? p.mobile),
  }

  const results: Record<string, ReturnType<typeof summarize> & { avgHits: number }> = {}
  for (const [kind, queries] of Object.entries(kinds)) {
    for (const q of queries.slice(0, 20)) await search(app, q) // warm-up
    const samples: number[] = []
    let hits = 0
    for (const q of queries) {
      const started = performance.now()
      hits += await search(app, q)
      samples.push(performance.now() - started)
    }
    results[kind] = { ...summarize(samples), avgHits: round(hits / queries.length, 1) }
  }
  console.log(JSON.stringify({ bench: 'search', rows: ROWS, seedSeconds: seedSeconds === null ? null : round(seedSeconds, 1), limit: 20, ms: results }))
  await db.close()
}

async function search(app: ReturnType<typeof createApp>, q: string): Promise<number> {
  const res = await app.request(`/v1/contacts?limit=20&q=${encodeURIComponent(q)}`, { headers: { authorization: `Bearer ${TOKEN}` } })
  if (res.status !== 200) throw new Error(`search ${q} answered ${res.status}: ${await res.text()}`)
  const body = (await res.json()) as { items: unknown[] }
  return body.items.length
}

await main()
