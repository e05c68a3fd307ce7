/**
 * The CSV export of the search benchmark's 1,000,000 contacts through the real Node entry (GET
 * /v1/contacts/export.csv, streamed), against PostgreSQL's own `COPY (select …) TO STDOUT` of the same columns in
 * the same run: time, bytes and the server's peak RSS, three runs each, medians. Prints one JSON line.
 *   DATABASE_URL=postgres://… npm run bench:export [-- --reseed]
 */
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { serverNodeArgs, startServer } from './lib/child-server.ts'
import { peakRss } from './lib/peak-rss.ts'
import { openSearchBook } from './lib/search-book.ts'
import { median, round } from './lib/stats.ts'

const RUNS = 3
const TOKEN = 'bench-admin-token-0123456789abcdef'

const { db, url, rows, seedSeconds } = await openSearchBook({ reseed: process.argv.includes('--reseed') })

/** The export's columns, as SQL: what the export reads, so COPY does the same work in the database. */
async function copyOnce(): Promise<{ seconds: number; bytes: number }> {
  const started = performance.now()
  let bytes = 0
  const source = await db.sql`copy (
    select c.id, c.name, c.mobile, c.email, c.date_of_birth, c.company, c.street, c.city, c.state, c.zip, c.country,
           c.social->>'instagram', c.social->>'facebook', c.social->>'linkedin', c.social->>'twitter',
           array_to_string(c.other_mobiles, '; '), array_to_string(c.other_emails, '; '), c.owner_id, c.preference, c.source,
           (select string_agg(i.channel || ':' || i.external_id, '; ' order by i.created_at) from identities i where i.contact_id = c.id),
           c.created_at, c.updated_at
    from contacts c where c.active order by c.id desc) to stdout with (format csv, header)`.readable()
  await pipeline(source, new Writable({ write(chunk: Buffer, _e, done) { bytes += chunk.length; done() } }))
  return { seconds: (performance.now() - started) / 1000, bytes }
}

async function exportOnce(base: string, pid: number): Promise<{ seconds: number; bytes: number; rss: number }> {
  const started = performance.now()
  const res = await fetch(`${base}/v1/contacts/export.csv`, { headers: { authorization: `Bearer ${TOKEN}` } })
  if (res.status !== 200 || res.body === null) throw new Error(`export answered ${res.status}: ${await res.text()}`)
  let bytes = 0
  for await (const chunk of res.body) bytes += chunk.length
  const seconds = (performance.now() - started) / 1000
  return { seconds, bytes, rss: await peakRss(pid) }
}

const copies: { seconds: number; bytes: number }[] = []
const exports: { seconds: number; bytes: number; rss: number }[] = []
for (let run = 0; run < RUNS; run++) {
  copies.push(await copyOnce())
  // A fresh server per run, so each run's peak RSS is its own.
  const server = await startServer('gateway/entry/node.ts', { DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: TOKEN })
  try {
    exports.push(await exportOnce(server.url, server.child.pid ?? 0))
  } finally {
    await server.stop()
  }
  console.error(`run ${run + 1}: COPY ${round(copies.at(-1)!.seconds)} s, export ${round(exports.at(-1)!.seconds)} s, peak RSS ${Math.round(exports.at(-1)!.rss / 1048576)} MB`)
}
await db.close()

const copySeconds = median(copies.map((c) => c.seconds))
const exportSeconds = median(exports.map((e) => e.seconds))
console.log(JSON.stringify({
  bench: 'export', rows, nodeArgs: serverNodeArgs.join(' '), seedSeconds: seedSeconds === null ? null : round(seedSeconds, 1),
  copySeconds: round(copySeconds), copyMB: round(median(copies.map((c) => c.bytes)) / 1048576, 1),
  exportSeconds: round(exportSeconds), exportMB: round(median(exports.map((e) => e.bytes)) / 1048576, 1), rowsPerSecond: Math.round(rows / exportSeconds),
  ratioToCopy: round(exportSeconds / copySeconds), peakRssMB: Math.round(median(exports.map((e) => e.rss)) / 1048576),
}))
