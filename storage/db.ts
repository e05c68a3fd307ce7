import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import postgres from 'postgres'
import { migrate } from './migrate.ts'
import type { Sql } from './sql.ts'

export type Database = {
  sql: Sql
  /** How to open another connection to the same database (tests and tools). */
  url: string
  kind: 'postgres' | 'embedded'
  close(): Promise<void>
}

export type DatabaseOptions = {
  /** A PostgreSQL connection string; when absent the embedded PGlite database is used. */
  url?: string | undefined
  /** Where PGlite keeps its files; `memory://` keeps nothing. */
  dataDir: string
  poolSize?: number
}

// Each process's connections carry a name of their own, by which poolInUse finds them in pg_stat_activity. Made
// on first use: a Worker may not generate random values at the top level of a module.
let applicationName: string | undefined
const processName = () => (applicationName ??= `contact-gateway/${randomUUID().slice(0, 8)}`)

const POSTGRES_OPTIONS = {
  onnotice: () => {},
  // A database that does not answer within 1.5 s is treated as down (requests answer 503 within 2 s; a circuit
  // probes for its return), instead of holding every request for postgres.js's default 30 s.
  connect_timeout: 1.5,
  // postgres.js waits longer after each failed connection (up to 20 s) before the next, and queued queries wait
  // with it; the circuit in front keeps requests off a dead pool, so reconnect at once when one is tried.
  backoff: () => 0.05,
}

/**
 * Every statement is planned for its own values: postgres.js prepares statements, and after five runs PostgreSQL
 * may switch to a generic plan that cannot see how rare a filter's value is (a label a thousand contacts carry, and
 * a country) and walks a whole country instead (measured: 507 ms p95 against 21 ms on the 1M book). Planning costs
 * a millisecond or so per statement.
 */
const SESSION_SETTINGS = {
  plan_cache_mode: 'force_custom_plan',
  // JIT compiles a statement whose estimated cost is high, and a batch of the export is one (its estimate counts the
  // whole book): 100–600 ms of compiling for a 50 ms statement, each batch (measured on the 1M book). The gateway's
  // statements are short and selective, where JIT never pays.
  jit: 'off',
}

/**
 * Asks the database on a connection opened for the question and closed after it: a pool whose connection was
 * dropped without a word (a firewall, a lost NAT entry) cannot answer for the database, and waits on it for ever.
 */
export async function probeDatabase(url: string, giveUpMs = 5000): Promise<void> {
  const sql = postgres(url, { ...POSTGRES_OPTIONS, max: 1, fetch_types: false, connection: { application_name: processName() } })
  // A probe nobody answers is closed by force, so that its socket does not linger.
  const giveUp = setTimeout(() => void sql.end({ timeout: 0 }), giveUpMs)
  try {
    await sql`select 1`
  } finally {
    clearTimeout(giveUp)
    void sql.end({ timeout: 0 })
  }
}

function once(close: () => Promise<void>): () => Promise<void> {
  let closing: Promise<void> | undefined
  return () => (closing ??= close())
}

/**
 * Opens the database and applies migrations. Without a URL it starts PGlite and serves it on a loopback
 * socket so the very same postgres.js code runs on it. That pool stays at one connection: PGlite is a single
 * session, and several client connections multiplexed onto it interleave transactions.
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url !== undefined) {
    const sql = postgres(options.url, { ...POSTGRES_OPTIONS, connection: { application_name: processName(), ...SESSION_SETTINGS }, max: options.poolSize ?? 10 })
    await migrate(sql)
    return { sql, url: options.url, kind: 'postgres', close: once(() => sql.end({ timeout: 5 })) }
  }
  if (!options.dataDir.startsWith('memory://')) await mkdir(options.dataDir, { recursive: true })
  // Loaded only when used: PGlite's module alone is about 45 MB of a server process's memory.
  const [{ PGlite }, { pg_trgm }, { unaccent }, { PGLiteSocketServer }] = await Promise.all([
    import('@electric-sql/pglite'), import('@electric-sql/pglite/contrib/pg_trgm'), import('@electric-sql/pglite/contrib/unaccent'),
    import('@electric-sql/pglite-socket'),
  ])
  const pglite = await PGlite.create({ dataDir: options.dataDir, extensions: { pg_trgm, unaccent } })
  const server = new PGLiteSocketServer({ db: pglite, host: '127.0.0.1', port: 0 })
  await server.start()
  const url = `postgres://postgres@${server.getServerConn()}/postgres`
  const sql = postgres(url, { ...POSTGRES_OPTIONS, connection: { application_name: processName() }, max: 1 })
  await migrate(sql)
  return {
    sql,
    url,
    kind: 'embedded',
    close: once(async () => {
      await sql.end({ timeout: 5 })
      await server.stop()
      await pglite.close()
    }),
  }
}

/**
 * How many of this process's connections are running a statement or inside a transaction, besides the one asking
 * (postgres.js does not count its pool in public).
 */
export async function poolInUse(sql: Sql): Promise<number> {
  const [row] = await sql<{ busy: number }[]>`
    select count(*)::int as busy from pg_stat_activity
    where application_name = current_setting('application_name') and state <> 'idle' and pid <> pg_backend_pid()`
  return row?.busy ?? 0
}
