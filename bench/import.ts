// Imports a generated 1,000,000-row, 12-column CSV into the real PostgreSQL as `npm run import` does (a child
// process with the same flags, so that its peak RSS is the pipeline's own) and, in the same run, COPYs the same file into an
// unindexed table of text columns as the physical limit. Prints one JSON line of medians.
import { spawn } from 'node:child_process'
import { createReadStream, createWriteStream, existsSync } from 'node:fs'
import { rename, stat } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { COUNTRIES, mobileFor, person, pick, rng } from './lib/fake-people.ts'
import { openBenchDatabase } from './lib/bench-db.ts'
import { peakRss } from './lib/peak-rss.ts'
import { median, round } from './lib/stats.ts'

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000)
const RUNS = Number(process.env.BENCH_RUNS ?? 3)
const FILE = process.env.BENCH_IMPORT_FILE ?? `/tmp/cg-bench-import-${ROWS}.csv`
const ROOT = new URL('..', import.meta.url).pathname

const HEADER = ['First Name', 'Last Name', 'Mobile', 'Email', 'Date of Birth', 'Company', 'Street', 'City', 'State', 'Postal Code', 'Country', 'Instagram']
const STREETS = ['High Street', 'Main St', 'Rua Augusta', 'Calle Mayor', 'Hauptstraße', 'Rue de la Paix', 'MG Road', 'Jalan Sudirman']
const CITIES = ['London', 'New York', 'Berlin', 'Paris', 'Madrid', 'Milan', 'São Paulo', 'Mumbai', 'Lagos', 'Tokyo', 'Jakarta', 'Cairo']

function quote(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** The same number the way people type it: E.164, spaced, 00-prefixed, national (GB, the default country). */
function formatted(e164: string, country: string, style: number): string {
  const digits = e164.slice(1)
  switch (style % 5) {
    case 0: return e164
    case 1: return `+${digits.slice(0, 2)} ${digits.slice(2, 6)} ${digits.slice(6)}`
    case 2: return `00${digits}`
    case 3: return country === 'GB' ? `0${digits.slice(2, 6)} ${digits.slice(6)}` : `+${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`
    default: return `+${digits.slice(0, 2)} (0) ${digits.slice(2)}`
  }
}

async function generate(): Promise<void> {
  if (existsSync(FILE)) return
  const random = rng(42)
  const out = createWriteStream(`${FILE}.tmp`)
  const seen: { mobile: string; email: string; country: string }[] = []
  const lines = function* () {
    yield `${HEADER.join(',')}\n`
    for (let i = 0; i < ROWS; i++) {
      const p = person(random, i)
      let mobile = formatted(p.mobile, p.country, i)
      let email = p.email
      const roll = random()
      if (roll < 0.05) {
        mobile = pick(random, ['4.47E+11', `+${p.mobile.slice(1, 5)}`, 'n/a', `${p.mobile}99`, '12345'])
      } else if (roll < 0.10 && seen.length > 0) {
        const earlier = seen[Math.floor(random() * seen.length)]!
        if (random() < 0.5) mobile = formatted(earlier.mobile, earlier.country, i + 1)
        else { email = earlier.email.toUpperCase(); mobile = '' }
      } else if (seen.length < 100_000 || random() < 0.01) {
        seen.push({ mobile: p.mobile, email: p.email, country: p.country })
      }
      const dob = `${1950 + Math.floor(random() * 55)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`
      const row = [
        p.first, p.last, mobile, email, dob, p.company, `${1 + Math.floor(random() * 200)} ${pick(random, STREETS)}`, pick(random, CITIES),
        '', String(10000 + Math.floor(random() * 89999)), random() < 0.5 ? p.country : '', random() < 0.3 ? `@${p.first.toLowerCase()}${i}` : '',
      ]
      yield `${row.map(quote).join(',')}\n`
    }
  }
  await pipeline(lines, out)
  await rename(`${FILE}.tmp`, FILE)
}

async function runImport(url: string): Promise<{ seconds: number; rss: number; result: Record<string, unknown> }> {
  const started = performance.now()
  const child = spawn(process.execPath, ['--max-old-space-size=128', '--import', 'tsx', 'gateway/entry/import.ts', FILE, '--json'], {
    cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url, DEFAULT_COUNTRY: 'GB', LOG_LEVEL: 'warn', IMPORT_MAX_MB: '1000' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  let stdout = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  let rss = 0
  const poll = setInterval(() => void peakRss(child.pid ?? 0).then((v) => { rss = Math.max(rss, v) }), 50)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearInterval(poll)
  if (code !== 0) throw new Error(`import exited with ${code}: ${stdout}`)
  return { seconds: (performance.now() - started) / 1000, rss, result: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown> }
}

await generate()
const bytes = (await stat(FILE)).size
const { db, url } = await openBenchDatabase('cg_bench_import', true)
const sql = db.sql
await sql`create table copy_limit (${sql.unsafe(HEADER.map((_, i) => `c${i} text`).join(', '))})`

const copies: number[] = []
const imports: { seconds: number; rss: number; result: Record<string, unknown> }[] = []
for (let run = 0; run < RUNS; run++) {
  await sql`truncate copy_limit`
  const t0 = performance.now()
  const writable = await sql`copy copy_limit from stdin with (format csv, header true)`.writable()
  await pipeline(createReadStream(FILE), writable)
  copies.push((performance.now() - t0) / 1000)

  await sql`truncate contacts, imports cascade`
  await sql`vacuum analyze contacts`
  imports.push(await runImport(url))
  console.error(`run ${run + 1}: copy ${round(copies.at(-1)!)} s, import ${round(imports.at(-1)!.seconds)} s, peak RSS ${Math.round(imports.at(-1)!.rss / 1048576)} MB`)
}
await db.close()

const importSeconds = median(imports.map((i) => i.seconds))
const copySeconds = median(copies)
const last = imports.at(-1)!.result
console.log(JSON.stringify({
  bench: 'import', rows: ROWS, fileMB: round(bytes / 1048576, 1), runs: RUNS, countries: COUNTRIES.length,
  copySeconds: round(copySeconds), importSeconds: round(importSeconds), rowsPerSecond: Math.round(ROWS / importSeconds),
  ratioToCopy: round(importSeconds / copySeconds), peakRssMB: Math.round(median(imports.map((i) => i.rss)) / 1048576),
  result: { totalRows: last.totalRows, imported: last.imported, duplicates: last.duplicates, failed: last.failed },
  targets: { seconds: 20, peakRssMB: 256, ratioToCopy: 8 },
}))
