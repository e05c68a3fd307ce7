/**
 * Server time of the console's Contacts page and of GET /v1/contacts under every filter combination (each filter
 * alone, every pair, triples that are rare or match nothing, and the name and last-message sorts) on the
 * 1,000,000-contact console book (bench/lib/console-book.ts: columns correlated as a real book's are), in a real
 * PostgreSQL, through the whole app with a signed-in session. The baseline, measured in the same run, is the
 * unfiltered first page. Combinations are interleaved round by round, so a burst of load on the box spreads over
 * all of them. Also: the "about N contacts" count per combination (fetched after the page, off its critical path),
 * a search as typed, and the 50th page reached by "Next". One JSON line; run it three times and quote medians.
 *   DATABASE_URL=postgres://… npm run bench:console        (BENCH_ROUNDS=20, BENCH_ONLY=<part of a name>)
 */
import { apiPath, consolePath, filterCombos, type Combo } from './lib/console-filters.ts'
import { consoleClient, type BenchClient } from './lib/console-app.ts'
import { openConsoleBook } from './lib/console-book.ts'
import { summarize } from './lib/stats.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20)
const COUNT_SAMPLES = 3
const TARGET_MS = 50
const SEARCHES = ['silv', 'kuma', 'tana', 'okaf', 'nowa', 'garc', 'yilm', 'fisc', 'olivia', 'rahm']

type Samples = { page: number[]; api: number[]; shown: number }

async function timeCombos(client: BenchClient, combos: Combo[]): Promise<Map<Combo, Samples>> {
  const samples = new Map(combos.map((c) => [c, { page: [], api: [], shown: 0 } as Samples]))
  for (const [c, s] of samples) {
    await client.page(consolePath(c))
    s.shown = (JSON.parse((await client.api(apiPath(c))).body) as { items: unknown[] }).items.length
  }
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now()
    for (const [c, s] of samples) {
      s.page.push((await client.page(consolePath(c))).ms)
      s.api.push((await client.api(apiPath(c))).ms)
    }
    process.stderr.write(`round ${round + 1}/${ROUNDS}: ${Math.round(performance.now() - started)} ms\n`)
  }
  return samples
}

/** The count line's own request, as htmx sends it after the page: a few samples per filter set (sorts aside). */
async function timeCounts(client: BenchClient, combos: Combo[]) {
  const out: { name: string; p50: number; max: number }[] = []
  for (const c of combos.filter((x) => x.sort === 'newest')) {
    const ms: number[] = []
    for (let i = 0; i < COUNT_SAMPLES; i++) ms.push((await client.page(consolePath(c).replace('/console/contacts?', '/console/contacts/count?'))).ms)
    const s = summarize(ms)
    out.push({ name: c.name, p50: s.p50, max: s.max })
  }
  return out.sort((a, b) => b.p50 - a.p50)
}

/** Page 50 of 50 rows each, reached by following "Next" from the first page. */
async function deepPage(client: BenchClient): Promise<number> {
  let path = '/console/contacts?size=50'
  let ms = 0
  for (let i = 0; i < 50; i++) {
    const r = await client.page(path)
    ms = r.ms
    const next = /href="(\/console\/contacts\?[^"]*cursor=[^"]*)" rel="next"/.exec(r.body)?.[1]
    if (next === undefined) break
    path = next.replace(/&amp;/g, '&')
  }
  return ms
}

async function main() {
  const book = await openConsoleBook()
  const client = await consoleClient(book.db.sql)
  const only = process.env.BENCH_ONLY
  const all = filterCombos(book.owners, book.lists).filter((c) => only === undefined || c.name.includes(only))
  const baseline: Combo = { name: 'unfiltered', values: [], sort: 'newest' }
  const samples = await timeCombos(client, [baseline, ...all])
  const figures = [...samples].map(([c, s]) => {
    const page = summarize(s.page)
    const api = summarize(s.api)
    return { name: c.name, shown: s.shown, page: { p50: page.p50, p95: page.p95 }, api: { p50: api.p50, p95: api.p95 }, p95: Math.max(page.p95, api.p95) }
  })
  const [base, ...combos] = figures
  const ranked = [...combos].sort((a, b) => b.p95 - a.p95)
  const worst = ranked[0]
  const counts = await timeCounts(client, all)
  const search: number[] = []
  for (let r = 0; r < Math.max(2, ROUNDS / 2); r++) for (const q of SEARCHES) search.push((await client.page(`/console/contacts?q=${q}`)).ms)
  const page50: number[] = []
  for (let i = 0; i < 5; i++) page50.push(await deepPage(client))
  console.log(JSON.stringify({
    bench: 'console', rows: book.rows, seedSeconds: book.seedSeconds, rounds: ROUNDS, combinations: combos.length, targetMs: TARGET_MS,
    baseline: base, worst: worst === undefined ? null : { name: worst.name, p95: worst.p95, ratio: base === undefined ? null : Math.round((worst.p95 / base.p95) * 10) / 10 },
    overTarget: ranked.filter((f) => f.p95 >= TARGET_MS).map((f) => `${f.name}: ${f.p95}`),
    counts: { worst: counts.slice(0, 5), overTarget: counts.filter((c) => c.p50 >= TARGET_MS).length },
    search: summarize(search), page50: summarize(page50), combos,
  }))
  await book.db.close()
}

await main()
