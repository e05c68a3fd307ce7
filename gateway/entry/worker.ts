import type { ExecutionContext } from 'hono'
import htmx from 'htmx.org/dist/htmx.min.js'
import postgres from 'postgres'
import { createApp, type App } from '../app.ts'
import { parseConfig } from '../config.ts'
import { perRequestDeps } from '../connect.ts'
import { drainWhileDue } from '../actions/inbound.ts'

type PerRequest = ReturnType<typeof perRequestDeps>
type Isolate = { databaseUrl: undefined } | { databaseUrl: string; app: App; deps: PerRequest['deps']; serve: PerRequest['serve'] }

/** Config, deps and the app (with its bot), built on the first request: an isolate's bindings do not change. */
function buildIsolate(env: Record<string, unknown>): Isolate {
  // REDIS_URL is not used here: node-redis needs Node's sockets; limits and idempotency keys live in the isolate.
  const config = { ...parseConfig(Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string'))), redisUrl: undefined }
  if (config.databaseUrl === undefined) return { databaseUrl: undefined }
  const { deps, serve } = perRequestDeps(config, {
    databaseKind: 'postgres', backgroundJobs: false, consoleAssets: { htmx }, clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
  })
  return { databaseUrl: config.databaseUrl, app: createApp(deps), deps, serve }
}

let isolate: Isolate | undefined

/**
 * The same Hono app on Cloudflare Workers. DATABASE_URL is required (there is no embedded database). Each request
 * gets its own connection, closed after the answer: a Worker may not use one request's sockets in another.
 * Migrations, file imports and CRM syncs run on the Node gateway; Meta deliveries are applied after the answer, and
 * Telegram updates in their request (nothing else takes jobs here).
 */
export default {
  async fetch(request: Request, env: Record<string, unknown>, ctx: ExecutionContext): Promise<Response> {
    isolate ??= buildIsolate(env)
    if (isolate.databaseUrl === undefined) return Response.json({ error: { code: 'not_configured', message: 'DATABASE_URL is required on Workers.' } }, { status: 503 })
    const { app } = isolate
    const sql = postgres(isolate.databaseUrl, { max: 1, onnotice: () => {} })
    const close = () => sql.end({ timeout: 5 })
    let response: Response
    try {
      response = await isolate.serve(sql, async () => app.fetch(request, env, ctx))
    } catch (error) {
      ctx.waitUntil(close())
      throw error
    }
    // No drainer runs here: a stored delivery is applied after the answer, on the request's own connection.
    const delivered = request.method === 'POST' && new URL(request.url).pathname.startsWith('/webhooks/') && response.status === 200
    const current = isolate
    const after = delivered ? () => current.serve(sql, () => drainWhileDue(current.deps)).catch(() => {}).finally(close) : close
    return closedAfterBody(response, after, ctx)
  },
}

/**
 * The connection stays open until the answer's body has been sent: a streamed answer (the CSV export) reads from
 * the database while it is being sent, after the handler has returned.
 */
function closedAfterBody(response: Response, close: () => Promise<void>, ctx: ExecutionContext): Response {
  if (response.body === null) {
    ctx.waitUntil(close())
    return response
  }
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>()
  ctx.waitUntil(response.body.pipeTo(writable).catch(() => {}).finally(close))
  return new Response(readable, response)
}
