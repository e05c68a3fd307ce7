import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { deadDeliveries, retryDeadDelivery } from '../../actions/inbox.ts'
import { isDeliveryId } from '../../actions/inbox.ts'
import type { AppEnv } from '../../deps.ts'
import { decodeTimeCursor, encodeTimeCursor } from '../cursor.ts'
import { requireAdmin } from '../middleware/auth.ts'
import { ErrorSchema, errorResponses, jsonContent, PageQuerySchema } from '../schemas.ts'
import { validationHook } from '../validation.ts'

const security = [{ Bearer: [] }]

const DeadDeliverySchema = z
  .object({
    id: z.string(), channel: z.enum(['whatsapp', 'instagram', 'messenger']), receivedAt: z.string(), attempts: z.number().int(),
    reason: z.string().openapi({ description: 'Why its last attempt failed' }),
  })
  .openapi('DeadDelivery')

/** The inbound inbox's deliveries that could not be processed after their retries (admins). */
export function inboxRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.use('/v1/inbox/*', requireAdmin)

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/inbox/dead', tags: ['inbox'], security, summary: 'Deliveries that failed every attempt, newest first',
      request: { query: PageQuerySchema },
      responses: { 200: jsonContent(z.object({ items: z.array(DeadDeliverySchema), nextCursor: z.string().nullable() }), 'A page of dead deliveries'), 403: jsonContent(ErrorSchema, 'Not an admin'), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const page = await deadDeliveries(c.var.deps, limit, decodeTimeCursor(cursor, isDeliveryId))
      const items = page.items.map((d) => ({ id: d.id, channel: d.channel as 'whatsapp', receivedAt: d.receivedAt.toISOString(), attempts: d.attempts, reason: d.reason }))
      return c.json({ items, nextCursor: encodeTimeCursor(page.next) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/inbox/dead/{id}/retry', tags: ['inbox'], security, summary: 'Put a dead delivery back in line with fresh attempts',
      request: { params: z.object({ id: z.string() }) },
      responses: { 202: jsonContent(z.object({ id: z.string(), status: z.literal('queued') }), 'Queued again'), 403: jsonContent(ErrorSchema, 'Not an admin'), 404: jsonContent(ErrorSchema, 'No such dead delivery'), ...errorResponses },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await retryDeadDelivery(c.var.deps, id)
      return c.json({ id, status: 'queued' as const }, 202)
    },
  )
  return app
}
