import { AsyncLocalStorage } from 'node:async_hooks'
import type { Context } from 'hono'
import { pino, type Logger } from 'pino'
import { openDatabase, type Database } from '../storage/db.ts'
import type { Sql } from '../storage/sql.ts'
import { failRunnerImports } from '../storage/imports/history.ts'
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
import { batchedInboundWriter } from './infra/inbound-writer.ts'
import { batchedSendTargetReader } from './infra/send-targets.ts'
import { cachedUserResolver } from './infra/user-cache.ts'

export type Running = {
  deps: Deps
  database: Database
  /** Fails this process's unfinished imports with a reason that says it is shutting down; close() does it too. */
  stopImports(): Promise<void>
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
  databaseKind?: Database['kind']; logger?: Logger; clientAddress?: (c: Context) => string; sleep?: (ms: number) => Promise<void>
  /** False where nothing may run on after the answer (Workers): imports and CRM syncs are refused there. */
  backgroundJobs?: boolean
  consoleAssets?: ConsoleAssets
}

/** The deps that read and write through the database connection; a Worker builds them for each request. */
export type ConnectionDeps = Pick<Deps, 'sql' | 'database' | 'users' | 'sendTargets' | 'inbound' | 'importRunner'>
type IsolateDeps = Omit<Deps, keyof ConnectionDeps>

/** Everything that holds no database connection: config, logger, Redis (or memory), the limiter, clock and ids. */
function isolateDeps(config: Config, options: DepsOptions): { deps: IsolateDeps; close(): Promise<void> } {
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
  }
  return { deps, close: () => redis.close() }
}

/** What reads and writes through `sql`. `deps` is read as they run, so a test that swaps the clock is obeyed. */
function connectionDeps(sql: Sql, deps: () => Deps, logger: Logger, databaseKind: Database['kind'] | undefined, runnerId: string): ConnectionDeps {
  return {
    sql,
    database: databaseCircuit(() => sql`select 1`, logger),
    users: cachedUserResolver(sql, USER_CACHE_TTL_MS),
    sendTargets: batchedSendTargetReader(sql),
    inbound: batchedInboundWriter(sql, () => ({ newId: deps().newId, now: deps().now(), defaultPreference: deps().config.inboundDefaultPreference }), logger),
    importRunner: databaseKind === 'postgres' ? serverImportRunner(sql, runnerId) : embeddedImportRunner(runnerId),
  }
}

/** All deps on one connection (pool) for the life of the process: the Node gateway, the CLI, tests. */
export function buildDeps(config: Config, sql: Sql, options: DepsOptions = {}): { deps: Deps; close(): Promise<void> } {
  const isolate = isolateDeps(config, options)
  const connection = connectionDeps(sql, () => deps, isolate.deps.logger, options.databaseKind, isolate.deps.newId())
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
  const isolate = isolateDeps(config, options)
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
    get inbound() { return connection().inbound },
    get importRunner() { return connection().importRunner },
  }
  return {
    deps,
    serve(sql, work) {
      const request = connectionDeps(sql, () => deps, isolate.deps.logger, options.databaseKind, isolate.deps.newId())
      return current.run(request, () => work().finally(() => request.database.stop()))
    },
  }
}

export async function connectDeps(config: Config, options: DepsOptions = {}): Promise<Running> {
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
  const built = buildDeps(config, database.sql, { databaseKind: database.kind, consoleAssets: await readConsoleAssets(), ...options })
  const generatedAdminToken = await ensureBootstrapAdmin(built.deps)
  const adminSetupCode = await ensureAdminSignIn(built.deps)
  const interrupted = await failOrphanedImports(database.sql, built.deps.importRunner, built.deps.now())
  if (interrupted > 0) built.deps.logger.warn({ interrupted }, 'imports interrupted by a previous stop were marked failed')
  // Imports still running here would otherwise wait for the next start to be marked interrupted.
  const stopImports = () => failRunnerImports(database.sql, built.deps.importRunner.id, built.deps.now()).then(() => {}, () => {})
  return {
    deps: built.deps,
    database,
    generatedAdminToken,
    adminSetupCode,
    stopImports,
    async close() {
      await stopImports()
      await built.close()
      await database.close()
    },
  }
}
