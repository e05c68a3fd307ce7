import { AsyncLocalStorage } from 'node:async_hooks'
import type { Context } from 'hono'
import { pino, type Logger } from 'pino'
import { openDatabase, poolInUse, probeDatabase, type Database } from '../storage/db.ts'
import type { Sql } from '../storage/sql.ts'
import { ensureTelegramAdmins, upsertBuiltinAdmin } from '../storage/users.ts'
import { ensureAdminSignIn } from './actions/sign-in.ts'
import type { Config } from './config.ts'
import type { Deps } from './deps.ts'
import { readConsoleAssets, type ConsoleAssets } from './infra/console-assets.ts'
import { databaseCircuit } from './infra/db-circuit.ts'
import { memoryIdempotencyStore, redisIdempotencyStore } from './infra/idempotency.ts'
import { memoryRateLimiter, redisRateLimiter } from './infra/rate-limit.ts'
import { connectRedis } from './infra/redis.ts'
import { uuidV7Generator } from './infra/ids.ts'
import { embeddedImportRunner, failOrphanedImports, serverImportRunner } from './imports/runner.ts'
import { generateToken, hashToken } from './infra/tokens.ts'
import { batchedInbox } from './infra/inbox.ts'
import { batchedSendTargetReader } from './infra/send-targets.ts'
import { cachedUserResolver } from './infra/user-cache.ts'
import { createMetrics, type Metrics } from './infra/metrics.ts'
import { inboxHealth } from './actions/inbox.ts'
import { jobCounts } from '../storage/jobs.ts'
import { inlineQueue, type JobHandlers, type JobQueue } from './jobs/queue.ts'
import { jobHandlers } from './jobs/handlers.ts'
import type { JobRuntime } from './jobs/pg-boss.ts'
import type { BackgroundWork } from './jobs/background.ts'

export type Running = {
  deps: Deps
  database: Database
  /** Drains the inbox and takes jobs in this process too (WORKERS=on). */
  startWorkers(): Promise<void>
  close(): Promise<void>
  generatedAdminToken: string | null
  /** The built-in admin's one-time console setup code, while they have no password (printed as a link). */
  adminSetupCode: string | null
}

export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    // Defence in depth: nothing we log should carry these, but if an object ever does they are masked.
    redact: { paths: ['*.authorization', '*.token', '*.accessToken', '*.appSecret', '*.password', 'headers.authorization', 'req.headers.authorization'], censor: '[redacted]' },
  })
}

/**
 * TELEGRAM_ADMIN_IDS become admin users (once), and the built-in admin: ADMIN_API_TOKEN when set (rotating the stored hash to it), otherwise a token generated on
 * the first start. Only its hash is stored, so the generated token is returned here to be printed that once.
 */
export async function ensureBootstrapAdmin(deps: Deps): Promise<string | null> {
  await ensureTelegramAdmins(deps.sql, deps.config.telegram.adminIds.map((telegramId) => ({ id: deps.newId(), telegramId })))
  const configured = deps.config.adminApiToken
  if (configured !== undefined) {
    await upsertBuiltinAdmin(deps.sql, deps.newId(), await hashToken(configured), true)
    deps.users.clear()
    return null
  }
  const token = generateToken()
  const created = await upsertBuiltinAdmin(deps.sql, deps.newId(), await hashToken(token), false)
  return created ? token : null
}

const USER_CACHE_TTL_MS = 10_000

export type DepsOptions = {
  /**
   * Where jobs go: pg-boss on Node (connectDeps, the test app). By default a job runs at once in its request, which
   * is what a Worker can do (nothing runs there after the answer, and no job worker runs there).
   */
  jobs?: (sql: Sql, deps: () => Deps) => JobQueue
  databaseKind?: Database['kind']; logger?: Logger; clientAddress?: (c: Context) => string; sleep?: (ms: number) => Promise<void>
  /** False where nothing may run on after the answer (Workers): imports and CRM syncs are refused there. */
  backgroundJobs?: boolean
  consoleAssets?: ConsoleAssets
  /** Asks the database on a connection of its own (gateway/infra/db-circuit.ts), for a request that stalls. */
  probeOwnConnection?: () => Promise<unknown>
}

/** The deps that read and write through the database connection; a Worker builds them for each request. */
export type ConnectionDeps = Pick<Deps, 'sql' | 'database' | 'users' | 'sendTargets' | 'inbox' | 'importRunner' | 'jobs'>
type IsolateDeps = Omit<Deps, keyof ConnectionDeps>

/** Everything that holds no database connection: config, logger, Redis (or memory), the limiter, clock and ids. */
function isolateDeps(config: Config, options: DepsOptions, all: () => Deps): { deps: IsolateDeps; close(): Promise<void> } {
  const logger = options.logger ?? createLogger(config.logLevel)
  const redis = connectRedis(config.redisUrl, logger)
  const limiter = redis.client === null ? memoryRateLimiter() : redisRateLimiter(redis.client, logger)
  const idempotency = redis.client === null ? memoryIdempotencyStore() : redisIdempotencyStore(redis.client)
  const deps: IsolateDeps = {
    config, logger, redis: redis.probe, limiter, idempotency,
    backgroundJobs: options.backgroundJobs ?? true,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    clientAddress: options.clientAddress ?? (() => 'unknown'),
    now: () => new Date(),
    newId: uuidV7Generator(),
    consoleAssets: options.consoleAssets ?? { htmx: '' },
    metrics: processMetrics(all, options.backgroundJobs ?? true),
  }
  return { deps, close: () => redis.close() }
}

/** Gauges read at each scrape, through whichever connection the deps have then. */
function processMetrics(deps: () => Deps, isNode: boolean): Metrics {
  return createMetrics(() => ({
    inbox: () => inboxHealth(deps()),
    jobs: () => jobCounts(deps().sql),
    poolInUse: () => poolInUse(deps().sql),
  }), { processMetrics: isNode })
}

/** The default queue: each job runs in its request, on handlers (and a bot) built on the first job. */
function inlineJobs(deps: () => Deps): JobQueue {
  let handlers: JobHandlers | undefined
  return inlineQueue(() => (handlers ??= jobHandlers(deps())))
}

/** What reads and writes through `sql`. `deps` is read as they run, so a test that swaps the clock is obeyed. */
function connectionDeps(sql: Sql, deps: () => Deps, logger: Logger, options: DepsOptions, runnerId: string, inline: JobQueue): ConnectionDeps {
  const databaseKind = options.databaseKind
  return {
    sql,
    database: databaseCircuit(() => sql`select 1`, logger, { probeOwnConnection: options.probeOwnConnection }),
    users: cachedUserResolver(sql, USER_CACHE_TTL_MS),
    sendTargets: batchedSendTargetReader(sql),
    inbox: batchedInbox(sql),
    importRunner: databaseKind === 'postgres' ? serverImportRunner(sql, runnerId) : embeddedImportRunner(runnerId),
    jobs: options.jobs?.(sql, deps) ?? inline,
  }
}

/** All deps on one connection (pool) for the life of the process: the Node gateway, the CLI, tests. */
export function buildDeps(config: Config, sql: Sql, options: DepsOptions = {}): { deps: Deps; close(): Promise<void> } {
  const all = () => deps
  const isolate = isolateDeps(config, options, all)
  const connection = connectionDeps(sql, all, isolate.deps.logger, options, isolate.deps.newId(), inlineJobs(all))
  const deps: Deps = { ...isolate.deps, ...connection }
  return {
    deps,
    async close() {
      connection.database.stop()
      await isolate.close()
    },
  }
}

/**
 * Deps for a runtime that opens the database for each request and may serve several requests at once (Workers):
 * built once, they read the connection's deps of the request being served, which `serve` puts in place for the
 * request's whole async flow (AsyncLocalStorage; wrangler.toml turns on nodejs_compat for it).
 */
export function perRequestDeps(config: Config, options: DepsOptions = {}): {
  deps: Deps
  serve<T>(sql: Sql, work: () => Promise<T>): Promise<T>
} {
  const all = () => deps
  const isolate = isolateDeps(config, options, all)
  // Built once for the isolate: the handlers jobs run on (and the bot among them) serve every request.
  const inline = inlineJobs(all)
  const current = new AsyncLocalStorage<ConnectionDeps>()
  const connection = (): ConnectionDeps => {
    const found = current.getStore()
    if (found === undefined) throw new Error('The database connection is per request; this ran outside one.')
    return found
  }
  const deps: Deps = {
    ...isolate.deps,
    get sql() { return connection().sql },
    get database() { return connection().database },
    get users() { return connection().users },
    get sendTargets() { return connection().sendTargets },
    get inbox() { return connection().inbox },
    get importRunner() { return connection().importRunner },
    get jobs() { return connection().jobs },
  }
  return {
    deps,
    serve(sql, work) {
      const request = connectionDeps(sql, all, isolate.deps.logger, options, isolate.deps.newId(), inline)
      return current.run(request, () => work().finally(() => request.database.stop()))
    },
  }
}

/**
 * The Node gateway's deps: the database (migrated), pg-boss for jobs on the same pool, the bootstrap admin. With
 * WORKERS=on, `startWorkers` makes this process drain the inbox and take jobs too; `close` stops all of it.
 */
export async function connectDeps(config: Config, options: DepsOptions = {}): Promise<Running> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
  // Imported here, not at the top: the Workers bundle (which shares this file) has no use for pg-boss.
  const [{ pgBossJobs }, { startBackgroundWork }] = await Promise.all([import('./jobs/pg-boss.ts'), import('./jobs/background.ts')])
  let jobs: JobRuntime | undefined
  const built = buildDeps(config, database.sql, {
    databaseKind: database.kind, consoleAssets: await readConsoleAssets(),
    ...(database.kind === 'postgres' ? { probeOwnConnection: () => probeDatabase(database.url) } : {}),
    jobs: (sql, deps) => (jobs = pgBossJobs(sql, () => deps().logger)).queue,
    ...options,
  })
  const generatedAdminToken = await ensureBootstrapAdmin(built.deps)
  const adminSetupCode = await ensureAdminSignIn(built.deps)
  const interrupted = await failOrphanedImports(database.sql, built.deps.importRunner, built.deps.now())
  if (interrupted > 0) built.deps.logger.warn({ interrupted }, 'imports interrupted by a previous stop were marked failed')
  let background: Promise<BackgroundWork> | null = null
  return {
    deps: built.deps,
    database,
    generatedAdminToken,
    adminSetupCode,
    startWorkers() {
      if (jobs === undefined) throw new Error('no job runtime')
      const runtime = jobs
      background ??= startBackgroundWork(built.deps, runtime)
      return background.then(() => {})
    },
    async close() {
      if (background !== null) await (await background).stop()
      else await jobs?.stop()
      await built.close()
      await database.close()
    },
  }
}
