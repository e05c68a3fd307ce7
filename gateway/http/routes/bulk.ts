import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { bulkEditContacts } from '../../actions/contact-bulk.ts'
import type { AppEnv } from '../../deps.ts'
import { ErrorSchema, errorResponses, jsonContent, ContactFilterQuerySchema } from '../schemas.ts'
import { validationHook } from '../validation.ts'
import { PREFERENCES } from '../../../domain/contact.ts'

const security = [{ Bearer: [] }]

/** The contacts list's filters as a JSON object (bulk changes, list members). */
export const BulkFilterSchema = ContactFilterQuerySchema.extend({
  fields: z.record(z.string().max(40), z.string().max(2000)).optional().openapi({ description: 'Custom field equals, by key' }),
}).strict().openapi('ContactFilter')

const BulkInput = z.object({
  ids: z.array(z.uuid()).max(100_000).optional(),
  filter: BulkFilterSchema.optional(),
  ownerId: z.uuid().nullable().optional(),
  preference: z.enum(PREFERENCES).optional(),
  addLabels: z.array(z.string().max(200)).max(50).optional(),
  removeLabels: z.array(z.string().max(200)).max(50).optional(),
  addToList: z.uuid().optional(),
  removeFromList: z.uuid().optional(),
  delete: z.literal(true).optional(),
}).strict()
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'give either ids or filter', path: ['ids'] })
  .refine((b) => [b.ownerId, b.preference, b.addLabels, b.removeLabels, b.addToList, b.removeFromList, b.delete].some((v) => v !== undefined), { message: 'name at least one change', path: ['ownerId'] })

export function bulkRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  app.openapi(createRoute({
    method: 'post', path: '/v1/contacts/bulk', tags: ['contacts'], security,
    summary: 'One change to many contacts (picked ids, or all matching a filter), each in its history; agents change only what they may',
    request: { body: { content: { 'application/json': { schema: BulkInput } }, required: true } },
    responses: { 200: jsonContent(z.object({ matched: z.number().int(), changed: z.number().int() }), 'How many matched and how many changed'), 403: jsonContent(ErrorSchema, 'Not allowed'), ...errorResponses },
  }), async (c) => {
    const { ids, filter, ...edits } = c.req.valid('json')
    const target = ids !== undefined ? { ids: ids.map((id) => id.toLowerCase()) } : { filters: filter ?? {} }
    return c.json(await bulkEditContacts(c.var.deps, c.var.user, target, edits), 200)
  })
  return app
}
