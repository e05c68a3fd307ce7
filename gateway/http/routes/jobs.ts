import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { backgroundJobs } from '../../actions/jobs.ts'
import type { AppEnv } from '../../deps.ts'
import { JOB_KINDS } from '../../jobs/queue.ts'
import { requireAdmin } from '../middleware/auth.ts'
import { ErrorSchema, errorResponses, jsonContent } from '../schemas.ts'
import { validationHook } from '../validation.ts'

const STATES = ['created', 'retry', 'active', 'completed', 'cancelled', 'failed'] as const

const JobSchema = z
  .object({
    id: z.string(), kind: z.enum(JOB_KINDS), status: z.enum(STATES).openapi({ description: 'created: queued; retry: waiting to be tried again; active: running' }),
    attempts: z.number().int(), createdAt: z.string(), startedAt: z.string().nullable(), finishedAt: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .openapi('Job')

/** GET /v1/jobs: background jobs with their state, attempts and last error (admins). */
export function jobRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/v1/jobs', requireAdmin)
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/jobs', tags: ['jobs'], security: [{ Bearer: [] }], summary: 'Background jobs, newest first',
      request: { query: z.object({ kind: z.enum(JOB_KINDS).optional(), status: z.enum(STATES).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }) },
      responses: { 200: jsonContent(z.object({ items: z.array(JobSchema) }), 'Jobs'), 403: jsonContent(ErrorSchema, 'Not an admin'), ...errorResponses },
    }),
    async (c) => {
      const { kind, status, limit } = c.req.valid('query')
      const jobs = await backgroundJobs(c.var.deps, { kind, state: status }, limit)
      const items = jobs.map((j) => ({
        id: j.id, kind: j.kind as (typeof JOB_KINDS)[number], status: j.state, attempts: j.attempts, createdAt: j.createdAt.toISOString(),
        startedAt: j.startedAt?.toISOString() ?? null, finishedAt: j.finishedAt?.toISOString() ?? null, lastError: j.lastError,
      }))
      return c.json({ items }, 200)
    },
  )
  return app
}
