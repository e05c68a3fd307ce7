// Imports a generated 1,000,000-row, 12-column CSV through the API, as a client of `npm start` would: the gateway
// runs in its own process with npm start's flags (node <heap limits> --import tsx gateway/entry/node.ts, from
// package.json's start script; its peak RSS is the one measured), the file is POSTed to /v1/imports and followed at
// /v1/imports/:id until it ends.
// The floor, in the same run: PostgreSQL's own `insert … select` of the very rows the import wrote, into the same
// tables with the same indexes (bench/lib/import-floor.ts); COPY of the file into an unindexed table of text columns
// is kept as a further reference. Prints one JSON line of medians.
//   BENCH_IMPORT_ROWS (1,000,000), BENCH_RUNS (3), BENCH_NODE_ARGS (flags for the gateway's node after npm start's,
//   e.g. another heap limit, or "--import ./bench/lib/memory-log.ts" to log its memory every second on stderr).
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { openBenchDatabase } from './lib/bench-db.ts'
import { serverNodeArgs, startServer } from './lib/child-server.ts'
import { generateImportFile, IMPORT_HEADER } from './lib/import-file.ts'
import { measureImportFloor, type ImportFloor } from './lib/import-floor.ts'
import { sampleActivity } from './lib/activity-sampler.ts'
import { residentByMapping } from './lib/smaps.ts'
import { currentRss, peakRss } from './lib/peak-rss.ts'
import { cpuSeconds, cpuSpent, postgresCpu } from './lib/proc-stats.ts'
import { median, round } from './lib/stats.ts'
import type { Sql } from '../storage/sql.ts'

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const FILE = process.env.BENCH_IMPORT_FILE ?? `/tmp/cg-bench-import-${ROWS}.csv`
const TOKEN = 'bench-admin-token-0123456789abcdef'
const MB = 1024 * 1024
/** Long enough for every backend to have flushed its statistics (PostgreSQL 15 does at most once a second). */
const STATS_SETTLE_MS = 1500

type ImportRecord = { id: string; status: string; totalRows: number; imported: number; duplicates: number; failed: number }
type Run = {
  seconds: number; answerSeconds: number; peakRss: number; idleRss: number; gatewayCpu: number; postgresCpu: number
  commits: number; tuplesWritten: number; floor: ImportFloor; copySeconds: number; record: ImportRecord
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function databaseCounters(sql: Sql, name: string): Promise<{ commits: number; tuples: number }> {
  const [row] = await sql<{ commits: string; tuples: string }[]>`
    select xact_commit as commits, tup_inserted + tup_updated + tup_deleted as tuples from pg_stat_database where datname = ${name}`
  return { commits: Number(row?.commits ?? 0), tuples: Number(row?.tuples ?? 0) }
}

async function copyLimit(sql: Sql): Promise<number> {
  await sql`truncate copy_limit`
  const started = performance.now()
  const writable = await sql`copy copy_limit from stdin with (format csv, header true)`.writable()
  await pipeline(createReadStream(FILE), writable)
  return (performance.now() - started) / 1000
}

async function api(url: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`${url}${path}`, { ...init, headers: { authorization: `Bearer ${TOKEN}`, ...init.headers } })
}

/** POSTs the file and follows the import to its end; times it from the first byte sent to the end seen. */
async function importThroughApi(url: string, size: number): Promise<{ seconds: number; answerSeconds: number; record: ImportRecord }> {
  const started = performance.now()
  const res = await api(url, '/v1/imports?fileName=contacts.csv', {
    method: 'POST', headers: { 'content-type': 'text/csv', 'content-length': String(size) },
    body: Readable.toWeb(createReadStream(FILE, { highWaterMark: MB })) as ReadableStream<Uint8Array>, duplex: 'half',
  } as RequestInit)
  const answer = (await res.json()) as { id: string }
  const answerSeconds = (performance.now() - started) / 1000
  if (res.status !== 202) throw new Error(`POST /v1/imports answered ${res.status}: ${JSON.stringify(answer)}`)
  for (;;) {
    const record = (await (await api(url, `/v1/imports/${answer.id}`)).json()) as ImportRecord
    if (record.status !== 'in_progress') return { seconds: (performance.now() - started) / 1000, answerSeconds, record }
    await sleep(200)
  }
}

async function run(sql: Sql, database: string, dbUrl: string, size: number): Promise<Run> {
  const copySeconds = await copyLimit(sql)
  await sql`truncate contacts, imports cascade`
  await sql`vacuum analyze contacts`
  await sql`checkpoint`
  const gateway = await startServer('gateway/entry/node.ts', {
    DATABASE_URL: dbUrl, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: TOKEN, DEFAULT_COUNTRY: 'GB', SPOOL_DIR: '/tmp/cg-bench-import-spool',
  })
  const pid = gateway.child.pid ?? 0
  try {
    await sleep(STATS_SETTLE_MS)
    const idleRss = await currentRss(pid)
    const before = { gateway: await cpuSeconds(pid), postgres: await postgresCpu(database), counters: await databaseCounters(sql, database) }
    // BENCH_PG_ACTIVITY=1: what the gateway's sessions were doing, sampled every 20 ms, on stderr.
    const activity = process.env.BENCH_PG_ACTIVITY === '1' ? sampleActivity(sql, database) : null
    const done = await importThroughApi(gateway.url, size)
    if (activity !== null) for (const [what, n] of (await activity.stop()).slice(0, 25)) console.error(`${String(n).padStart(7)}  ${what}`)
    const gatewayCpu = (await cpuSeconds(pid)) - before.gateway
    const postgresSpent = cpuSpent(before.postgres, await postgresCpu(database))
    const peak = await peakRss(pid)
    if (process.env.BENCH_SMAPS === '1') console.error(`resident MB by mapping: ${JSON.stringify((await residentByMapping(pid)).slice(0, 8))}`)
    await sleep(STATS_SETTLE_MS)
    const after = await databaseCounters(sql, database)
    await gateway.stop()
    // BENCH_FLOOR=0 skips the floor, for quick looks at the import alone (the ratio is then NaN).
    const floor = process.env.BENCH_FLOOR === '0' ? { seconds: Number.NaN, withoutSecondaryIndexesSeconds: Number.NaN, rows: {} } : await measureImportFloor(sql)
    return {
      seconds: done.seconds, answerSeconds: done.answerSeconds, peakRss: peak, idleRss, gatewayCpu, postgresCpu: postgresSpent,
      commits: after.commits - before.counters.commits, tuplesWritten: after.tuples - before.counters.tuples, floor, copySeconds, record: done.record,
    }
  } finally {
    if (gateway.child.exitCode === null) await gateway.stop()
  }
}

await generateImportFile(FILE, ROWS)
const size = (await stat(FILE)).size
const database = 'cg_bench_import'
const { db, url } = await openBenchDatabase(database, true)
const sql = db.sql
await sql`create table copy_limit (${sql.unsafe(IMPORT_HEADER.map((_, i) => `c${i} text`).join(', '))})`

const runs: Run[] = []
for (let i = 0; i < RUNS; i++) {
  const r = await run(sql, database, url, size)
  runs.push(r)
  console.error(`run ${i + 1}: import ${round(r.seconds)} s (202 after ${round(r.answerSeconds)} s), floor ${round(r.floor.seconds)} s ` +
    `(${round(r.floor.withoutSecondaryIndexesSeconds)} s without secondary indexes), ratio ${round(r.seconds / r.floor.seconds)}, ` +
    `peak RSS ${Math.round(r.peakRss / MB)} MB (idle ${Math.round(r.idleRss / MB)} MB), gateway CPU ${round(r.gatewayCpu)} s, ` +
    `PostgreSQL CPU ${round(r.postgresCpu)} s, ${r.commits} commits, COPY ${round(r.copySeconds)} s`)
}
await db.close()

const m = (pick: (r: Run) => number) => median(runs.map(pick))
const importSeconds = m((r) => r.seconds)
const floorSeconds = m((r) => r.floor.seconds)
const last = runs.at(-1)!.record
console.log(JSON.stringify({
  bench: 'import', path: 'api', rows: ROWS, fileMB: round(size / MB, 1), runs: RUNS, nodeArgs: serverNodeArgs.join(' '),
  importSeconds: round(importSeconds), answerSeconds: round(m((r) => r.answerSeconds)), rowsPerSecond: Math.round(ROWS / importSeconds),
  floorSeconds: round(floorSeconds), floorWithoutSecondaryIndexesSeconds: round(m((r) => r.floor.withoutSecondaryIndexesSeconds)),
  ratioToFloor: round(m((r) => r.seconds / r.floor.seconds)), copySeconds: round(m((r) => r.copySeconds)), ratioToCopy: round(m((r) => r.seconds / r.copySeconds)),
  peakRssMB: Math.round(m((r) => r.peakRss) / MB), idleRssMB: Math.round(m((r) => r.idleRss) / MB),
  gatewayCpuSeconds: round(m((r) => r.gatewayCpu)), gatewayCpuMicrosPerRow: round(m((r) => r.gatewayCpu) / ROWS * 1e6, 1),
  postgresCpuSeconds: round(m((r) => r.postgresCpu)), postgresCpuMicrosPerRow: round(m((r) => r.postgresCpu) / ROWS * 1e6, 1),
  commits: m((r) => r.commits), tuplesWritten: m((r) => r.tuplesWritten), floorRows: runs.at(-1)!.floor.rows,
  result: { totalRows: last.totalRows, imported: last.imported, duplicates: last.duplicates, failed: last.failed },
  targets: { peakRssMB: 256, ratioToFloor: 1.5 },
}))
