import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../deps.ts'
import { HealthSchema, jsonContent } from '../schemas.ts'

async function databaseUp(c: { var: AppEnv['Variables'] }): Promise<boolean> {
  try {
    await c.var.deps.sql`select 1`
    return true
  } catch {
    return false
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
