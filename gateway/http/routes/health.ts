import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../deps.ts'
import { HealthSchema, jsonContent } from '../schemas.ts'

// A health check must answer even when the database hangs instead of refusing: load balancers time out first.
const DB_CHECK_TIMEOUT_MS = 2000

async function databaseUp(c: { var: AppEnv['Variables'] }): Promise<boolean> {
  const circuit = c.var.deps.database
  // While the circuit is open, the health check waits for the circuit's probe (one at a time) for a moment only.
  if (circuit.isOpen()) return circuit.ready(DB_CHECK_TIMEOUT_MS)
  const up = await probe(c)
  if (!up) circuit.trip()
  return up
}

async function probe(c: { var: AppEnv['Variables'] }): Promise<boolean> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), DB_CHECK_TIMEOUT_MS) })
  const query = c.var.deps.sql`select 1`.then(() => true, () => false)
  try {
    return await Promise.race([query, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function healthRoutes() {
  const app = new OpenAPIHono<AppEnv>()
  app.openapi(
    createRoute({
      method: 'get', path: '/healthz', tags: ['platform'],
      responses: { 200: jsonContent(HealthSchema, 'Serving'), 503: jsonContent(HealthSchema, 'The database is down') },
    }),
    async (c) => {
      const [db, redis] = await Promise.all([databaseUp(c), c.var.deps.redis.status()])
      return db ? c.json({ ok: true, db: 'up' as const, redis }, 200) : c.json({ ok: false, db: 'down' as const, redis }, 503)
    },
  )
  return app
}
