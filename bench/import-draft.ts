// A draft of a 200 MB file through the real Node entry: POST /v1/imports?draft=true with the whole file, timed
// until the 201 with the suggested mapping and the preview of the first 1,000 rows (target: under 3 s). The
// file is the import benchmark's rows (npm run bench:import writes it) repeated up to 200 MB. Prints one JSON line.
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { stat } from 'node:fs/promises'
import { once } from 'node:events'
import { Readable } from 'node:stream'
import { openBenchDatabase } from './lib/bench-db.ts'
import { startServer } from './lib/child-server.ts'
import { median, round } from './lib/stats.ts'

const SOURCE = process.env.BENCH_IMPORT_FILE ?? '/tmp/cg-bench-import-1000000.csv'
const FILE = '/tmp/cg-bench-draft-200mb.csv'
const BYTES = 200 * 1024 * 1024 - 1024
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const TOKEN = 'bench-admin-token-0123456789abcdef'

async function generate(): Promise<void> {
  if (existsSync(FILE)) return
  if (!existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run npm run bench:import once first, it writes it`)
  const out = createWriteStream(FILE)
  let written = 0
  for (let pass = 0; written < BYTES - 4096; pass++) {
    let first = true
    for await (const chunk of createReadStream(SOURCE, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      // The header once: later passes start after their first line.
      const part = first && pass > 0 ? chunk.subarray(chunk.indexOf(10) + 1) : chunk
      first = false
      const room = BYTES - written
      const slice = part.length > room ? part.subarray(0, part.lastIndexOf(10, room) + 1) : part
      if (!out.write(slice)) await once(out, 'drain')
      written += slice.length
      if (slice.length < part.length) break
    }
  }
  out.end()
  await once(out, 'finish')
}

async function main() {
  await generate()
  const size = (await stat(FILE)).size
  const { db, url } = await openBenchDatabase('cg_bench_draft', true)
  await db.close()
  const gateway = await startServer('gateway/entry/node.ts', { DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: TOKEN, DEFAULT_COUNTRY: 'GB', SPOOL_DIR: '/tmp/cg-bench-draft-spool' })
  const times: number[] = []
  let preview: unknown = null
  try {
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now()
      const res = await fetch(`${gateway.url}/v1/imports?draft=true&fileName=big.csv`, {
        method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'text/csv', 'content-length': String(size) },
        body: Readable.toWeb(createReadStream(FILE, { highWaterMark: 1024 * 1024 })) as ReadableStream<Uint8Array>, duplex: 'half',
      } as RequestInit)
      const body = (await res.json()) as { id: string; preview: unknown }
      times.push(performance.now() - started)
      if (res.status !== 201) throw new Error(`the draft answered ${res.status}: ${JSON.stringify(body)}`)
      preview = body.preview
      await fetch(`${gateway.url}/v1/imports/${body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${TOKEN}` } })
      // The row count after the answer reads the rest of the file; let it finish before the next run.
      await new Promise((r) => setTimeout(r, 3000))
    }
  } finally {
    await gateway.stop()
  }
  const p = preview as { rows: number; imported: number; failed: number; duplicates: number }
  console.log(JSON.stringify({ bench: 'import-draft', fileMB: round(size / 1048576, 1), runs: RUNS, answerMs: round(median(times), 0), allMs: times.map((t) => round(t, 0)), previewRows: p.rows, previewImported: p.imported, previewFailed: p.failed, previewDuplicates: p.duplicates }))
}

await main()
