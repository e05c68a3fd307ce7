import type { ExecutionContext } from 'hono'
import htmx from 'htmx.org/dist/htmx.min.js'
import postgres from 'postgres'
import { createApp } from '../app.ts'
import { parseConfig } from '../config.ts'
import { buildDeps } from '../connect.ts'
import { memoryIdempotencyStore } from '../infra/idempotency.ts'
import { memoryRateLimiter } from '../infra/rate-limit.ts'


// Kept for the life of the isolate: plain memory, no I/O (a Worker may not use one request's sockets in another).
const shared = { limiter: memoryRateLimiter(), idempotency: memoryIdempotencyStore() }

/**
 * The same Hono app on Cloudflare Workers. DATABASE_URL is required (there is no embedded database) and each request
 * gets its own connection, closed after the answer. Migrations, file imports and CRM syncs run on the Node gateway.
 */
export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    // REDIS_URL is not used here: node-redis needs Node's sockets; limits and idempotency keys live in the isolate.
    const config = { ...parseConfig(Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'))), redisUrl: undefined }
    if (config.databaseUrl === undefined) return Response.json({ error: { code: 'not_configured', message: 'DATABASE_URL is required on Workers.' } }, { status: 503 })
    const sql = postgres(config.databaseUrl, { max: 1, onnotice: () => {} })
    const { deps } = buildDeps(config, sql, {
      databaseKind: 'postgres', shared, backgroundJobs: false, consoleAssets: { htmx }, clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    })
    try {
      return await createApp(deps).fetch(request, env, ctx)
    } finally {
      ctx.waitUntil(sql.end({ timeout: 5 }))
    }
  },
}
