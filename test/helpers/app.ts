import { pino } from 'pino'
import { createApp, type App } from '../../gateway/app.ts'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import { drainInbox } from '../../gateway/actions/inbound.ts'
import type { Deps } from '../../gateway/deps.ts'
import { jobHandlers } from '../../gateway/jobs/handlers.ts'
import { pgBossJobs, type JobRuntime } from '../../gateway/jobs/pg-boss.ts'
import { readConsoleAssets } from '../../gateway/infra/console-assets.ts'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase } from './db.ts'
import { APP_SECRET, sign, VERIFY_TOKEN } from './meta.ts'

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

export type TestApp = {
  app: App
  deps: Deps
  db: Database
  /** A JSON request as the built-in admin unless another token is given. */
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<Response>
  close(): Promise<void>
}

export async function startTestApp(env: Record<string, string> = {}, options: { sleep?: (ms: number) => Promise<void> } = {}): Promise<TestApp> {
  const config = parseConfig({ ADMIN_API_TOKEN: ADMIN_TOKEN, REDIS_URL: process.env.REDIS_URL ?? '', ...env })
  const db = await openTestDatabase()
  // Limits kept in Redis outlive a test file: each app's callers get an address of their own.
  const defaultClient = `127.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`
  let jobs: JobRuntime | undefined
  const built = buildDeps(config, db.sql, {
    databaseKind: db.kind, logger: pino({ level: 'silent' }), clientAddress: (c) => c.req.header('x-test-client') ?? defaultClient, consoleAssets: await readConsoleAssets(),
    jobs: (sql, all) => (jobs = pgBossJobs(sql, () => all().logger)).queue,
    ...options,
  })
  const deps = built.deps
  await ensureBootstrapAdmin(deps)
  // Jobs run here as in a process with WORKERS=on; the inbox is drained when a test says so (settleInbox).
  await jobs?.work(jobHandlers(deps))
  const app = createApp(deps)
  return {
    app,
    deps,
    db,
    call(method, path, body, token = ADMIN_TOKEN) {
      const headers: Record<string, string> = {}
      if (token !== null) headers.authorization = `Bearer ${token}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) }))
    },
    async close() {
      await jobs?.stop()
      await built.close()
      await db.close()
    },
  }
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

/** POSTs a payload to a Meta webhook route, signed with the test secret unless a signature is given. */
export async function deliver(t: TestApp, channel: 'whatsapp' | 'instagram' | 'messenger', payload: unknown, options: { signature?: string | null; client?: string; drain?: boolean } = {}): Promise<Response> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const signature = options.signature === undefined ? sign(body) : options.signature
  if (signature !== null) headers['x-hub-signature-256'] = signature
  if (options.client !== undefined) headers['x-test-client'] = options.client
  const res = await t.app.request(`/webhooks/${channel}`, { method: 'POST', headers, body })
  if (res.status === 200 && options.drain !== false) await settleInbox(t.deps)
  return res
}

/**
 * Drains the inbox as the background drainer would, until nothing in it is due: a test app runs no drainer of its
 * own, so what a test delivered is processed when it says so.
 */
export async function settleInbox(deps: Deps): Promise<void> {
  for (;;) {
    const taken = await drainInbox(deps)
    if (taken === 0) return
    if (taken === null) await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

export const META_ENV = { META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: VERIFY_TOKEN }
