import { pino } from 'pino'
import { createApp, type App } from '../../gateway/app.ts'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import type { Deps } from '../../gateway/deps.ts'
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
  const built = buildDeps(config, db.sql, { databaseKind: db.kind, logger: pino({ level: 'silent' }), clientAddress: (c) => c.req.header('x-test-client') ?? defaultClient, consoleAssets: await readConsoleAssets(), ...options })
  const deps = built.deps
  await ensureBootstrapAdmin(deps)
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
      await built.close()
      await db.close()
    },
  }
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

/** POSTs a payload to a Meta webhook route, signed with the test secret unless a signature is given. */
export async function deliver(t: TestApp, channel: 'whatsapp' | 'instagram' | 'messenger', payload: unknown, options: { signature?: string | null; client?: string } = {}): Promise<Response> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const signature = options.signature === undefined ? sign(body) : options.signature
  if (signature !== null) headers['x-hub-signature-256'] = signature
  if (options.client !== undefined) headers['x-test-client'] = options.client
  return t.app.request(`/webhooks/${channel}`, { method: 'POST', headers, body })
}

export const META_ENV = { META_APP_SECRET: APP_SECRET, META_VERIFY_TOKEN: VERIFY_TOKEN }
