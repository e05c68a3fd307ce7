import type { Context } from 'hono'
import type { Logger } from 'pino'
import type { Sql } from '../storage/sql.ts'
import type { User } from '../storage/users.ts'
import type { Config } from './config.ts'
import type { ConsoleAssets } from './infra/console-assets.ts'
import type { DatabaseCircuit } from './infra/db-circuit.ts'
import type { IdempotencyStore } from './infra/idempotency.ts'
import type { ImportRunner } from './imports/runner.ts'
import type { Inbox } from './infra/inbox.ts'
import type { JobQueue } from './jobs/queue.ts'

export type { JobData, JobQueue } from './jobs/queue.ts'
import type { Metrics } from './infra/metrics.ts'
import type { RateLimiter } from './infra/rate-limit.ts'
import type { SendTargetReader } from './infra/send-targets.ts'
import type { UserResolver } from './infra/user-cache.ts'

export interface RedisProbe {
  /** 'memory' when no Redis is configured; otherwise whether it answers a PING right now. */
  status(): Promise<'up' | 'down' | 'memory'>
}

/** Everything a request handler may touch; built once by the entry and passed down. */
export type Deps = {
  config: Config
  sql: Sql
  /** Open while the database is unreachable: requests then answer 503 at once (gateway/http/middleware/db-circuit.ts). */
  database: DatabaseCircuit
  logger: Logger
  redis: RedisProbe
  limiter: RateLimiter
  idempotency: IdempotencyStore
  users: UserResolver
  sendTargets: SendTargetReader
  /** Meta deliveries stored on arrival; drained into contacts, chats and messages by gateway/jobs/inbox-drainer.ts. */
  inbox: Inbox
  importRunner: ImportRunner
  /** Work done after the answer, by any process with WORKERS=on (gateway/jobs/). */
  jobs: JobQueue
  metrics: Metrics
  /** Whether work may run on after the answer (imports, CRM syncs): not on Workers. */
  backgroundJobs: boolean
  /** Waits between Graph API retries; tests shorten it. */
  sleep: (ms: number) => Promise<void>
  /** The caller's address as the runtime sees it (the socket on Node); used only to key rate limits. */
  clientAddress: (c: Context) => string
  now: () => Date
  newId: () => string
  /** The console's htmx script, served by the app itself. */
  consoleAssets: ConsoleAssets
}

export type AppEnv = { Variables: { deps: Deps; user: User } }
