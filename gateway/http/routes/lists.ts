import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { addMembersAs, contactList, contactLists, createListAs, deleteListAs, exportListCsv, listMembers, listReach, removeMembersAs, updateListAs } from '../../actions/lists.ts'
import type { AppEnv } from '../../deps.ts'
import { idOrNotFound } from '../cursor.ts'
import { ContactPageSchema, ErrorSchema, errorResponses, IdParam, jsonBody, jsonContent } from '../schemas.ts'
import { validationHook } from '../validation.ts'
import { contactJson } from './contacts.ts'
import { BulkFilterSchema } from './bulk.ts'

const security = [{ Bearer: [] }]

const ListSchema = z.object({ id: z.string(), name: z.string(), description: z.string(), members: z.number().int(), ownerId: z.string().nullable(), createdAt: z.string() }).openapi('ContactList')
const ListInput = z.object({ name: z.string().max(200), description: z.string().max(2000).optional() }).strict()
const ListPatch = z.object({ name: z.string().max(200).optional(), description: z.string().max(2000).optional() }).strict()
const ContactIds = z.array(z.uuid()).min(1).max(100_000)
const MembersInput = z.union([z.object({ contactIds: ContactIds }).strict(), z.object({ filter: BulkFilterSchema }).strict()])
const ReachQuery = z.object({
  channel: z.enum(['whatsapp', 'instagram', 'messenger']).default('whatsapp'),
  kind: z.enum(['text', 'template']).default('template'),
  category: z.enum(['marketing', 'utility', 'authentication']).optional().openapi({ description: 'The template’s category; a broadcast is marketing' }),
})
const ReachSchema = z.object({ members: z.number().int(), allowed: z.number().int(), denied: z.record(z.string(), z.number().int()) }).openapi('ListReach')
const MembersQuery = z.object({ q: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(1000).optional() })

const listId = (id: string) => idOrNotFound(id, 'No such contact list.')

/** Contact lists: the groups a broadcast or campaign goes to, with their reach. */
export function listRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.openapi(createRoute({
    method: 'get', path: '/v1/lists', tags: ['lists'], security, summary: 'Every contact list A–Z with its member count',
    responses: { 200: jsonContent(z.object({ items: z.array(ListSchema) }), 'The lists'), ...errorResponses },
  }), async (c) => c.json({ items: await contactLists(c.var.deps) }, 200))

  app.openapi(createRoute({
    method: 'post', path: '/v1/lists', tags: ['lists'], security, summary: 'Make a contact list; the caller owns it',
    request: { body: jsonBody(ListInput) }, responses: { 201: jsonContent(ListSchema, 'Made'), ...errorResponses },
  }), async (c) => c.json(await createListAs(c.var.deps, c.var.user, c.req.valid('json')), 201))

  app.openapi(createRoute({
    method: 'get', path: '/v1/lists/{id}', tags: ['lists'], security, request: { params: IdParam },
    responses: { 200: jsonContent(ListSchema, 'The list'), 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => c.json(await contactList(c.var.deps, listId(c.req.valid('param').id)), 200))

  app.openapi(createRoute({
    method: 'patch', path: '/v1/lists/{id}', tags: ['lists'], security, summary: 'Rename a list or change its description (its owner or an admin)',
    request: { params: IdParam, body: jsonBody(ListPatch) },
    responses: { 200: jsonContent(ListSchema, 'The list'), 403: jsonContent(ErrorSchema, 'Not its owner or an admin'), 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => c.json(await updateListAs(c.var.deps, c.var.user, listId(c.req.valid('param').id), c.req.valid('json')), 200))

  app.openapi(createRoute({
    method: 'delete', path: '/v1/lists/{id}', tags: ['lists'], security, summary: 'Delete a list (its owner or an admin); the contacts stay',
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, 403: jsonContent(ErrorSchema, 'Not its owner or an admin'), 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => {
    await deleteListAs(c.var.deps, c.var.user, listId(c.req.valid('param').id))
    return c.body(null, 204)
  })

  app.openapi(createRoute({
    method: 'get', path: '/v1/lists/{id}/members', tags: ['lists'], security, summary: 'The members, newest first, searchable as the contacts are',
    request: { params: IdParam, query: MembersQuery },
    responses: { 200: jsonContent(ContactPageSchema, 'A page of members'), 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => {
    const { q, limit, cursor } = c.req.valid('query')
    const page = await listMembers(c.var.deps, listId(c.req.valid('param').id), { q, limit, cursor: cursor ?? null })
    return c.json({ items: page.items.map(contactJson), nextCursor: page.nextCursor }, 200)
  })

  app.openapi(createRoute({
    method: 'post', path: '/v1/lists/{id}/members', tags: ['lists'], security,
    summary: 'Add picked contacts, or every contact matching a filter (set-based); members already there are not counted',
    request: { params: IdParam, body: jsonBody(MembersInput) },
    responses: { 200: jsonContent(z.object({ added: z.number().int() }), 'How many joined'), 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => {
    const input = c.req.valid('json')
    const added = await addMembersAs(c.var.deps, c.var.user, listId(c.req.valid('param').id), 'filter' in input ? { filter: input.filter } : { contactIds: input.contactIds })
    return c.json({ added }, 200)
  })

  app.openapi(createRoute({
    method: 'delete', path: '/v1/lists/{id}/members', tags: ['lists'], security, summary: 'Take contacts out of the list',
    request: { params: IdParam, body: jsonBody(z.object({ contactIds: ContactIds }).strict()) },
    responses: { 200: jsonContent(z.object({ removed: z.number().int() }), 'How many left'), 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => {
    const removed = await removeMembersAs(c.var.deps, c.var.user, listId(c.req.valid('param').id), c.req.valid('json').contactIds)
    return c.json({ removed }, 200)
  })

  app.openapi(createRoute({
    method: 'get', path: '/v1/lists/{id}/reach', tags: ['lists'], security,
    summary: 'The outbound check over every member at once: how many may get this message now, and why not the others (by reason code)',
    request: { params: IdParam, query: ReachQuery },
    responses: { 200: jsonContent(ReachSchema, 'The reach'), 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => {
    const reach = await listReach(c.var.deps, listId(c.req.valid('param').id), c.req.valid('query'))
    return c.json({ ...reach, denied: Object.fromEntries(Object.entries(reach.denied).filter((e): e is [string, number] => e[1] !== undefined)) }, 200)
  })

  app.openapi(createRoute({
    method: 'get', path: '/v1/lists/{id}/export.csv', tags: ['lists'], security, summary: 'The members as the contacts export writes them',
    request: { params: IdParam },
    responses: { 200: { content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The members' }, 404: jsonContent(ErrorSchema, 'No such list'), ...errorResponses },
  }), async (c) => {
    const csv = await exportListCsv(c.var.deps, listId(c.req.valid('param').id))
    return c.body(ReadableStream.from(csv), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="list.csv"' })
  })
  return app
}
