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
import { memoryIdempotencyStore, redisIdempotencyStore, type IdempotencyStore } from './infra/idempotency.ts'
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from './infra/rate-limit.ts'
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
  /** Stores kept across requests by a runtime that builds its deps per request (Workers). */
  shared?: { limiter: RateLimiter; idempotency: IdempotencyStore }
  /** False where nothing may run on after the answer (Workers): imports and CRM syncs are refused there. */
  backgroundJobs?: boolean
  consoleAssets?: ConsoleAssets
}

/** Everything but the database: Redis (or memory), the limiter, clock and ids. */
export function buildDeps(config: Config, sql: Sql, options: DepsOptions = {}): { deps: Deps; close(): Promise<void> } {
  const logger = options.logger ?? createLogger(config.logLevel)
  const redis = connectRedis(config.redisUrl, logger)
  const limiter = options.shared?.limiter ?? (redis.client === null ? memoryRateLimiter() : redisRateLimiter(redis.client, logger))
  const idempotency = options.shared?.idempotency ?? (redis.client === null ? memoryIdempotencyStore() : redisIdempotencyStore(redis.client))
  const newId = uuidV7Generator()
  const runnerId = newId()
  const database = databaseCircuit(() => sql`select 1`, logger)
  const deps: Deps = {
    config, sql, database, logger, redis: redis.probe, limiter, idempotency,
    users: cachedUserResolver(sql, USER_CACHE_TTL_MS),
    sendTargets: batchedSendTargetReader(sql),
    inbound: batchedInboundWriter(sql, () => ({ newId: deps.newId, now: deps.now(), defaultPreference: deps.config.inboundDefaultPreference }), logger),
    importRunner: options.databaseKind === 'postgres' ? serverImportRunner(sql, runnerId) : embeddedImportRunner(runnerId),
    backgroundJobs: options.backgroundJobs ?? true,
    sleep: options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    clientAddress: options.clientAddress ?? (() => 'unknown'),
    now: () => new Date(),
    newId,
    consoleAssets: options.consoleAssets ?? { htmx: '' },
  }
  return {
    deps,
    async close() {
      database.stop()
      await redis.close()
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
