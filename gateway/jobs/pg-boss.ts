import { PgBoss, type Queue } from 'pg-boss'
import type { Logger } from 'pino'
import type { Sql } from '../../storage/sql.ts'
import { postgresJsDatabase } from './pg-boss-db.ts'
import { JOB_KINDS, type JobHandlers, type JobKind, type JobQueue } from './queue.ts'

export const JOBS_SCHEMA = 'pgboss'

/**
 * How each kind is retried. An import (or a CRM sync) renews a heartbeat while it runs: when its process dies the heartbeat stops,
 * and after `heartbeatSeconds` the job is retried by another process (or this one after a restart), which resumes
 * the import from its last saved batch.
 */
const RESUMABLE: Omit<Queue, 'name'> = { retryLimit: 20, retryDelay: 5, retryBackoff: true, retryDelayMax: 300, heartbeatSeconds: 10, expireInSeconds: 24 * 3600 }
const QUEUES: Record<JobKind, Omit<Queue, 'name'>> = {
  import: RESUMABLE,
  'crm-sync': RESUMABLE,
  'telegram-update': { retryLimit: 5, retryDelay: 2, retryBackoff: true, expireInSeconds: 300 },
  // Sent again for about eight hours (backoff up to ten minutes between tries); a reply later than that helps nobody.
  'bot-reply': { retryLimit: 60, retryDelay: 2, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 60 },
  'draft-expiry': { retryLimit: 1, expireInSeconds: 600 },
}

// How soon a job sent by another process is seen; one sent here wakes this process's worker at once.
const POLL_SECONDS = 0.5
// Running jobs get this long to finish at a shutdown; the rest are handed back to the queue.
const STOP_GRACE_MS = 5000

const START_ATTEMPTS = 3

function isCreationRace(error: unknown): boolean {
  const e = typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : {}
  return e.code === '23505' || e.code === '42P06' || e.code === '42710' || (typeof e.message === 'string' && e.message.includes('already exists'))
}

export type JobRuntime = {
  queue: JobQueue
  /** Takes jobs of every kind in this process until stop(). */
  work(handlers: JobHandlers): Promise<void>
  stop(): Promise<void>
}

/**
 * Background jobs on pg-boss, in the same database (schema `pgboss`, created by pg-boss's own migrations on the
 * first start). Started on first use, so a process that never sends or works a job never starts it.
 */
export function pgBossJobs(sql: Sql, logger: () => Logger): JobRuntime {
  let started: Promise<PgBoss> | null = null
  const workers = new Map<JobKind, string>()
  const open = async (): Promise<PgBoss> => {
    const instance = new PgBoss({
      db: postgresJsDatabase(sql), schema: JOBS_SCHEMA,
      // A dead process's import is noticed within seconds, not the default minute.
      superviseIntervalSeconds: 5, monitorIntervalSeconds: 30, persistWarnings: false,
    })
    instance.on('error', (error: unknown) => logger().error({ err: error }, 'job queue error'))
    try {
      await instance.start()
      for (const kind of JOB_KINDS) await instance.createQueue(kind, QUEUES[kind])
      await instance.schedule('draft-expiry', '*/15 * * * *', {})
      return instance
    } catch (error) {
      await instance.stop({ graceful: false, close: false }).catch(() => {})
      throw error
    }
  }
  const boss = () => (started ??= (async () => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await open()
      } catch (error) {
        // Processes that start together may both create pg-boss's schema: the one that loses finds it made.
        if (attempt >= START_ATTEMPTS || !isCreationRace(error)) {
          started = null
          throw error
        }
      }
    }
  })())
  return {
    queue: {
      async send(kind, data) {
        const instance = await boss()
        await instance.send(kind, data)
        const worker = workers.get(kind)
        if (worker !== undefined) instance.notifyWorker(worker)
      },
    },
    async work(handlers) {
      const instance = await boss()
      for (const kind of JOB_KINDS) {
        const handle = handlers[kind] as (data: unknown) => Promise<void>
        const id = await instance.work(kind, { pollingIntervalSeconds: POLL_SECONDS, localConcurrency: kind === 'import' || kind === 'crm-sync' ? 2 : 4 }, async ([job]) => {
          if (job !== undefined) await handle(job.data)
        })
        workers.set(kind, id)
      }
    },
    async stop() {
      if (started === null) return
      const instance = await started.catch(() => null)
      if (instance === null) return
      // pg-boss waits for its loops; one stuck on a database that went away must not hold the shutdown.
      await Promise.race([
        instance.stop({ graceful: true, timeout: STOP_GRACE_MS, close: false }),
        new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS + 1000).unref()),
      ])
    },
  }
}
