import { pino } from 'pino'
import { createApp, type App } from '../../gateway/app.ts'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import type { Deps } from '../../gateway/deps.ts'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase } from './db.ts'

export const ADMIN_TOKEN = 'test-admin-token-0123456789abcdef'

export type TestApp = {
  app: App
  deps: Deps
  db: Database
  /** A JSON request as the built-in admin unless another token is given. */
  call(method: string, path: string, body?: unknown, token?: string | null): Promise<Response>
  close(): Promise<void>
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const config = parseConfig({ ADMIN_API_TOKEN: ADMIN_TOKEN, REDIS_URL: process.env.REDIS_URL ?? '', ...env })
  const db = await openTestDatabase()
  const built = buildDeps(config, db.sql, { logger: pino({ level: 'silent' }), clientAddress: (c) => c.req.header('x-test-client') ?? '127.0.0.1' })
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
