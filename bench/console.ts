/**
 * Server time of the console's Contacts page on the 1,000,000-contact search book in a real PostgreSQL: a search as
 * typed, filters, and pages of 50 followed with "Next", through the whole app with a signed-in session. The
 * baseline, measured in the same run, is the JSON API answering the same search (GET /v1/contacts). One JSON line.
 *   DATABASE_URL=postgres://… npm run bench:console
 */
import { pino } from 'pino'
import { ensureAdminSignIn } from '../gateway/actions/sign-in.ts'
import { createApp } from '../gateway/app.ts'
import { parseConfig } from '../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../gateway/connect.ts'
import { readConsoleAssets } from '../gateway/infra/console-assets.ts'
import { rng } from './lib/fake-people.ts'
import { openSearchBook, peopleAt, SEARCH_BOOK_ROWS } from './lib/search-book.ts'
import { summarize } from './lib/stats.ts'

const REQUESTS = 200
const TOKEN = 'bench-admin-token-0123456789abcdef'
const ORIGIN = 'http://127.0.0.1'

async function main() {
  const { db } = await openSearchBook()
  const config = parseConfig({ ADMIN_API_TOKEN: TOKEN, ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench password 0123', LOG_LEVEL: 'silent', ADMIN_RATE_LIMIT_PER_MINUTE: '100000000' })
  const { deps } = buildDeps(config, db.sql, { logger: pino({ level: 'silent' }), consoleAssets: await readConsoleAssets() })
  await ensureBootstrapAdmin(deps)
  await ensureAdminSignIn(deps)
  const app = createApp(deps)
  const signIn = await app.request(`${ORIGIN}/console/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: 'email=bench%40example.com&password=bench+password+0123',
  })
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  if (signIn.status !== 303 || cookie === '') throw new Error(`sign-in answered ${signIn.status}`)

  const random = rng(11)
  const people = peopleAt(Array.from({ length: REQUESTS }, () => Math.floor(random() * SEARCH_BOOK_ROWS)))
  const fragment = (last: string) => last.slice(0, 4).toLowerCase()
  const time = async (path: string, headers: Record<string, string>): Promise<{ ms: number; body: string }> => {
    const started = performance.now()
    const res = await app.request(`${ORIGIN}${path}`, { headers })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
    return { ms: performance.now() - started, body }
  }
  const page = (path: string) => time(path, { cookie, 'hx-request': 'true' })
  const run = async (paths: string[], get: (p: string) => Promise<{ ms: number }>) => {
    for (const p of paths.slice(0, 10)) await get(p)
    const samples: number[] = []
    for (const p of paths) samples.push((await get(p)).ms)
    return summarize(samples)
  }

  const searches = people.map((p) => `/console/contacts?q=${encodeURIComponent(fragment(p.last))}`)
  const filters = people.map((_, i) => `/console/contacts?country=${['DE', 'GB', 'BR', 'IN', 'US'][i % 5]}&preference=${i % 2 === 0 ? 'proactive' : 'reactive'}`)
  // Page 50 of the book: 50 "Next" clicks from the first page, 50 rows each.
  const deepPage = async (): Promise<{ ms: number }> => {
    let path = '/console/contacts?size=50'
    let ms = 0
    for (let i = 0; i < 50; i++) {
      const r = await page(path)
      ms = r.ms
      const next = /href="(\/console\/contacts\?[^"]*cursor=[^"]*)" rel="next"/.exec(r.body)?.[1]
      if (next === undefined) break
      path = next.replace(/&amp;/g, '&')
    }
    return { ms }
  }
  const result = {
    bench: 'console',
    rows: SEARCH_BOOK_ROWS,
    apiSearchBaseline: await run(people.map((p) => `/v1/contacts?q=${encodeURIComponent(fragment(p.last))}`), (p) => time(p, { authorization: `Bearer ${TOKEN}` })),
    search: await run(searches, page),
    filter: await run(filters, page),
    page50: summarize(await Promise.all(Array.from({ length: 5 }, () => 0)).then(async () => { const s: number[] = []; for (let i = 0; i < 5; i++) s.push((await deepPage()).ms); return s })),
  }
  console.log(JSON.stringify(result))
  await db.close()
}

await main()
