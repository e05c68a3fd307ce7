import { OpenAPIHono } from '@hono/zod-openapi'
import { consoleApp } from './http/console/console.tsx'
import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { AppEnv, Deps } from './deps.ts'
import { AppError } from './actions/errors.ts'
import { errorAnswer, errorBody } from './http/errors.ts'
import { requireUser } from './http/middleware/auth.ts'
import { databaseUnavailable, failFastWithoutDatabase } from './http/middleware/db-circuit.ts'
import { isConnectionFailure } from './infra/db-circuit.ts'
import { limitBody } from './http/middleware/body-limit.ts'
import { adminRateLimit } from './http/middleware/rate-limit.ts'
import { requestLog } from './http/middleware/request-log.ts'
import { requestMetrics } from './http/middleware/request-metrics.ts'
import { metricsRoutes } from './http/routes/metrics.ts'
import { jobRoutes } from './http/routes/jobs.ts'
import { hashToken } from './infra/tokens.ts'
import { requireUtf8Json } from './http/middleware/utf8-body.ts'
import { contactRoutes } from './http/routes/contacts.ts'
import { bulkRoutes } from './http/routes/bulk.ts'
import { listRoutes } from './http/routes/lists.ts'
import { organizingRoutes } from './http/routes/organizing.ts'
import { crmRoutes } from './http/routes/crm.ts'
import { documentPlatformRoutes } from './http/routes/platform-docs.ts'
import { healthRoutes } from './http/routes/health.ts'
import { importRoutes } from './http/routes/imports.ts'
import { inboxRoutes } from './http/routes/inbox.ts'
import { mergeRoutes } from './http/routes/merges.ts'
import { telegramRoutes } from './http/routes/telegram.ts'
import { outboundRoutes } from './http/routes/outbound.ts'
import { userRoutes } from './http/routes/users.ts'
import { metaWebhookRoutes } from './http/routes/webhooks.ts'

function answer(c: Context<AppEnv>, error: AppError) {
  const { body, status, headers } = errorAnswer(error)
  return c.json(body, status, headers)
}

function onError(error: Error, c: Context<AppEnv>) {
  if (error instanceof AppError) return answer(c, error)
  if (error instanceof HTTPException) {
    // Hono's own validators throw this for bodies that are not JSON at all.
    if (error.status === 400) return c.json(errorBody('invalid_json', 'The body is not valid JSON.'), 400)
    if (error.status === 413) return c.json(errorBody('payload_too_large', 'The body is too large.'), 413)
    // hono/csrf: a form posted from another site's page.
    if (error.status === 403) return c.json(errorBody('forbidden', 'This form was sent from another site and was refused.'), 403)
    return c.json(errorBody('malformed_request', error.message || 'The request is malformed.'), 400)
  }
  if (isConnectionFailure(error)) {
    c.var.deps.logger.error({ err: { message: error.message } }, 'database unavailable')
    return answer(c, databaseUnavailable())
  }
  c.var.deps.logger.error({ err: error }, 'unhandled error')
  return c.json(errorBody('internal_error', 'Something went wrong on our side.'), 500)
}

/** The whole HTTP surface; the same on Node and on Workers. */
export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>()
  // First, so that the time it records includes every other middleware.
  app.use('*', requestMetrics(deps.metrics))
  app.use('*', async (c, next) => {
    c.set('deps', deps)
    await next()
  })
  app.use('*', requestLog)
  app.use('*', failFastWithoutDatabase)
  const jsonBodyLimit = limitBody(() => deps.config.limits.jsonBodyBytes, (max) => `The body is larger than ${max} bytes.`)
  // File uploads stream under their own, larger limit (IMPORT_MAX_MB), counted as they are read.
  app.use('/v1/*', (c, next) => (c.req.method === 'POST' && c.req.path === '/v1/imports' ? next() : jsonBodyLimit(c, next)))
  app.use('/v1/*', requireUser)
  app.use('/v1/*', adminRateLimit)
  app.use('/v1/*', requireUtf8Json)
  app.route('/', healthRoutes())
  app.route('/', metricsRoutes(deps.metrics, {
    metricsToken: deps.config.metricsToken,
    isAdminToken: async (token) => (await deps.users.byTokenHash(await hashToken(token)))?.role === 'admin',
  }))
  app.route('/', metaWebhookRoutes())
  app.route('/', userRoutes())
  app.route('/', mergeRoutes())
  // Before the contact routes: /v1/contacts/bulk is not a contact id.
  app.route('/', bulkRoutes())
  app.route('/', contactRoutes())
  app.route('/', organizingRoutes())
  app.route('/', listRoutes())
  app.route('/', outboundRoutes())
  app.route('/', importRoutes())
  app.route('/', crmRoutes())
  app.route('/', inboxRoutes())
  app.route('/', jobRoutes())
  app.route('/', telegramRoutes(deps))
  app.route('/', consoleApp(deps))

  app.openAPIRegistry.registerComponent('securitySchemes', 'Bearer', { type: 'http', scheme: 'bearer' })
  documentPlatformRoutes(app)
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Contact Gateway', version: '0.1.0', description: 'Contacts core for business messaging.' },
  })
  app.notFound((c) => c.json(errorBody('not_found', `No route for ${c.req.method} ${c.req.path}.`), 404))
  app.onError(onError)
  return app
}

export type App = ReturnType<typeof createApp>
