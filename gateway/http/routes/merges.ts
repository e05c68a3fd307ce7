import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { MAX_MERGE_DUPLICATES, REASON_ORDER, type DuplicateReason } from '../../../domain/merge.ts'
import { MERGE_FIELDS, type MergeField } from '../../../domain/merge-choices.ts'
import { listMerges } from '../../../storage/merges.ts'
import { dismissDuplicateGroup, duplicateGroups, mergeDuplicates, undoMerge } from '../../actions/merges.ts'
import { decodeCursor, encodeCursor, idField, idOrNotFound } from '../cursor.ts'
import type { AppEnv } from '../../deps.ts'
import { ContactSchema, errorResponses, ErrorSchema, IdParam, jsonContent, PageQuerySchema } from '../schemas.ts'
import { validationHook } from '../validation.ts'
import { contactJson } from './contacts.ts'

const security = [{ Bearer: [] }]
const contactId = idField('contact')

const ReasonSchema = z.object({ code: z.enum(REASON_ORDER as [DuplicateReason, ...DuplicateReason[]]), message: z.string() })
const DuplicateGroupsSchema = z
  .object({
    groups: z.array(z.object({
      contactIds: z.array(z.string()), contacts: z.array(ContactSchema),
      reason: ReasonSchema.shape.code.openapi({ description: 'The strongest reason' }), message: z.string(), reasons: z.array(ReasonSchema),
      fields: z.record(z.enum(MERGE_FIELDS), z.enum(['agree', 'one_empty', 'conflict'])).openapi({ description: 'Per field: the contacts agree, only one has a value, or they conflict (a choice to make)' }),
    })),
  })
  .openapi('DuplicateGroups')
const DismissSchema = z.object({ contactIds: z.array(contactId).min(2).max(MAX_MERGE_DUPLICATES + 1) }).strict().openapi('DismissDuplicates')
const MergeFieldsSchema = z
  .object(Object.fromEntries(MERGE_FIELDS.map((f) => [f, contactId.optional()])) as Record<MergeField, z.ZodOptional<typeof contactId>>)
  .strict()
  .openapi({ description: 'Per field, the id of the contact whose value the merged contact keeps (default: the primary, else the first non-empty)' })
const MergeInputSchema = z.object({ primaryId: contactId, duplicateIds: z.array(contactId).min(1).max(MAX_MERGE_DUPLICATES), fields: MergeFieldsSchema.optional() }).strict().openapi('MergeContacts')
const MergeSchema = z
  .object({ id: z.string(), primaryId: z.string(), duplicateIds: z.array(z.string()), actorId: z.string().nullable(), createdAt: z.string(), undoneAt: z.string().nullable(), undoneBy: z.string().nullable() })
  .openapi('Merge')
const MergedContactSchema = ContactSchema.extend({ mergeId: z.string().openapi({ description: 'The merge, for GET /v1/merges and undo' }) }).openapi('MergedContact')
const UndoneSchema = z.object({ merge: MergeSchema, contact: ContactSchema }).openapi('UndoneMerge')

const mergeId = (id: string) => idOrNotFound(id, 'No such merge.')

/** Registered before the contact routes: `/v1/contacts/duplicates` is not a contact id. */
export function mergeRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/contacts/duplicates', tags: ['merges'], security, summary: 'Groups of contacts that are likely one person, with why',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }) },
      responses: { 200: jsonContent(DuplicateGroupsSchema, 'Groups, oldest contact first'), ...errorResponses },
    }),
    async (c) => {
      const groups = await duplicateGroups(c.var.deps, c.req.valid('query').limit)
      return c.json({
        groups: groups.flatMap((g) => {
          const [first] = g.reasons
          if (first === undefined || g.contacts.length < 2) return []
          return [{ contactIds: g.contacts.map((x) => x.id), contacts: g.contacts.map(contactJson), reason: first.code, message: first.message, reasons: g.reasons, fields: g.fields }]
        }),
      }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/contacts/duplicates/dismiss', tags: ['merges'], security, summary: 'These contacts are different people: never suggest them again',
      request: { body: { content: { 'application/json': { schema: DismissSchema } }, required: true } },
      responses: { 200: jsonContent(z.object({ ok: z.literal(true) }), 'Dismissed'), 404: jsonContent(ErrorSchema, 'No such contact'), ...errorResponses },
    }),
    async (c) => {
      await dismissDuplicateGroup(c.var.deps, c.var.user, c.req.valid('json').contactIds)
      return c.json({ ok: true as const }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/contacts/merge', tags: ['merges'], security,
      summary: 'Fold duplicates into a primary contact: empty fields filled, every mobile and email kept, ids, chats and messages moved; undoable',
      request: { body: { content: { 'application/json': { schema: MergeInputSchema } }, required: true } },
      responses: {
        200: jsonContent(MergedContactSchema, 'The merged contact'), 404: jsonContent(ErrorSchema, 'No such contact'),
        409: jsonContent(ErrorSchema, 'A contact was merged or deleted already'), ...errorResponses,
      },
    }),
    async (c) => {
      const { primaryId, duplicateIds, fields } = c.req.valid('json')
      const choices = Object.fromEntries(Object.entries(fields ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'))
      const { merge, contact } = await mergeDuplicates(c.var.deps, c.var.user, primaryId, duplicateIds, choices)
      return c.json({ ...contactJson(contact), mergeId: merge.id }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/merges', tags: ['merges'], security, summary: 'Every merge, newest first (the audit)',
      request: { query: PageQuerySchema },
      responses: { 200: jsonContent(z.object({ items: z.array(MergeSchema), nextCursor: z.string().nullable() }).openapi('MergePage'), 'A page of merges'), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const page = await listMerges(c.var.deps.sql, limit, decodeCursor(cursor))
      return c.json({ items: page.items, nextCursor: encodeCursor(page.nextCursor) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/merges/{id}/undo', tags: ['merges'], security, summary: 'Take a merge back',
      request: { params: IdParam },
      responses: {
        200: jsonContent(UndoneSchema, 'The merge, now undone, and the primary contact'), 404: jsonContent(ErrorSchema, 'No such merge'),
        409: jsonContent(ErrorSchema, 'Undone already, or its contacts changed in a way undo cannot take back'), ...errorResponses,
      },
    }),
    async (c) => {
      const { merge, contact } = await undoMerge(c.var.deps, c.var.user, mergeId(c.req.valid('param').id))
      return c.json({ merge, contact: contactJson(contact) }, 200)
    },
  )
  return app
}
