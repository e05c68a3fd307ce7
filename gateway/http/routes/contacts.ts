import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import type { Contact } from '../../../domain/contact.ts'
import { getActiveContact, mergedInto } from '../../../storage/contacts.ts'
import { deleteContactAs, editContactAs } from '../../actions/contact-changes.ts'
import { exportContactsCsv, listContacts, type ContactFilters } from '../../actions/contact-list.ts'
import { createManualContact, type ContactOutcome } from '../../actions/contacts.ts'
import { historyOfKnownContact } from '../../actions/contact-history.ts'
import { contactMessages } from '../../actions/contact-view.ts'
import { decodeTimeCursor, encodeTimeCursor, idOrNotFound } from '../cursor.ts'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { HistoryPageSchema, ContactFilterQuerySchema, ContactInputSchema, ContactPageSchema, ContactSchema, errorResponses, IdParam, jsonBody, jsonContent, MessagePageSchema, PageQuerySchema, SearchQuerySchema, ErrorSchema } from '../schemas.ts'
import { validationHook } from '../validation.ts'
import { fieldFilters } from '../field-filters.ts'

/** The contract's JSON for a contact; internal bookkeeping such as `countrySource` stays inside. */
export function contactJson(c: Contact) {
  const { countrySource: _internal, ...rest } = c
  return rest
}

const NOT_YOURS = 'Agents change the contacts they own and those nobody owns; handing one to someone else is for admins.'

function unwrap(outcome: ContactOutcome | { ok: false; kind: 'forbidden' }): Contact {
  if (outcome.ok) return outcome.contact
  switch (outcome.kind) {
    case 'invalid': {
      const first = outcome.errors[0]
      throw new AppError('validation_failed', first === undefined ? 'Invalid contact.' : `${first.field} ${first.message}.`, outcome.errors)
    }
    case 'duplicate':
      throw new AppError(
        'duplicate_contact',
        `Another contact already has this ${outcome.conflict.field === 'identity' ? 'channel identity' : outcome.conflict.field}.`,
        { existingId: outcome.conflict.existingId, field: outcome.conflict.field },
      )
    case 'not_found':
      throw new AppError('not_found', 'No such contact.')
    case 'forbidden':
      throw new AppError('forbidden', NOT_YOURS)
  }
}

const contactId = (id: string) => idOrNotFound(id, 'No such contact.')

const security = [{ Bearer: [] }]

export function contactRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/contacts', tags: ['contacts'], security, summary: 'Create a contact; the caller becomes its owner',
      request: { body: jsonBody(ContactInputSchema) },
      responses: { 201: jsonContent(ContactSchema, 'Created'), 409: jsonContent(ErrorSchema, 'Mobile or email already belongs to details.existingId'), ...errorResponses },
    }),
    async (c) => {
      const contact = unwrap(await createManualContact(c.var.deps, c.var.user, c.req.valid('json')))
      return c.json(contactJson(contact), 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/contacts', tags: ['contacts'], security, summary: 'Search and filter contacts, newest first (or by name, or by last message); `field.<key>=value` filters by a custom field',
      request: { query: SearchQuerySchema },
      responses: { 200: jsonContent(ContactPageSchema, 'A page of contacts'), ...errorResponses },
    }),
    async (c) => {
      const { sort, limit, cursor, ...filters } = c.req.valid('query')
      const page = await listContacts(c.var.deps, { filters: { ...filters, fields: fieldFilters(c.req.url) } satisfies ContactFilters, sort, limit, cursor: cursor ?? null, direction: 'next' })
      return c.json({ items: page.items.map(contactJson), nextCursor: page.nextCursor }, 200)
    },
  )

  // Before /v1/contacts/{id}, so that "export.csv" is not read as an id.
  app.openapi(
    createRoute({
      method: 'get', path: '/v1/contacts/export.csv', tags: ['contacts'], security,
      summary: 'Every matching contact as CSV (UTF-8 with BOM), streamed; one column per field, formulas neutralized; imports back unchanged',
      request: { query: ContactFilterQuerySchema },
      responses: { 200: { content: { 'text/csv': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The contacts, newest first' }, ...errorResponses },
    }),
    async (c) => {
      const csv = await exportContactsCsv(c.var.deps, { ...c.req.valid('query'), fields: fieldFilters(c.req.url) })
      return c.body(ReadableStream.from(csv), 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="contacts.csv"',
      })
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/contacts/{id}', tags: ['contacts'], security, request: { params: IdParam },
      responses: { 200: jsonContent(ContactSchema, 'The contact'), 404: jsonContent(ErrorSchema, 'No such contact'), ...errorResponses },
    }),
    async (c) => {
      const id = contactId(c.req.valid('param').id)
      const contact = await getActiveContact(c.var.deps.sql, id)
      if (contact === null) {
        const into = await mergedInto(c.var.deps.sql, id)
        if (into !== null) throw new AppError('not_found', `This contact was merged into ${into}.`, { mergedInto: into })
        throw new AppError('not_found', 'No such contact.')
      }
      return c.json(contactJson(contact), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/contacts/{id}/messages', tags: ['contacts'], security, summary: 'The contact’s messages on every channel, newest first',
      request: { params: IdParam, query: PageQuerySchema },
      responses: { 200: jsonContent(MessagePageSchema, 'A page of messages'), 404: jsonContent(ErrorSchema, 'No such contact'), ...errorResponses },
    }),
    async (c) => {
      const id = contactId(c.req.valid('param').id)
      const { limit, cursor } = c.req.valid('query')
      const page = await contactMessages(c.var.deps, id, limit, decodeTimeCursor(cursor))
      if (page === null) throw new AppError('not_found', 'No such contact.')
      return c.json({ items: page.items, nextCursor: encodeTimeCursor(page.next) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/contacts/{id}/history', tags: ['contacts'], security, summary: 'Who changed what on the contact, when and through which door, newest first',
      request: { params: IdParam, query: PageQuerySchema },
      responses: { 200: jsonContent(HistoryPageSchema, 'A page of history'), 404: jsonContent(ErrorSchema, 'No such contact'), ...errorResponses },
    }),
    async (c) => {
      const id = contactId(c.req.valid('param').id)
      const { limit, cursor } = c.req.valid('query')
      const page = await historyOfKnownContact(c.var.deps, id, limit, decodeTimeCursor(cursor))
      if (page === null) throw new AppError('not_found', 'No such contact.')
      return c.json({ items: page.items, nextCursor: encodeTimeCursor(page.next) }, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch', path: '/v1/contacts/{id}', tags: ['contacts'], security,
      summary: 'Change fields; absent fields stay, null clears',
      request: { params: IdParam, body: jsonBody(ContactInputSchema) },
      responses: { 200: jsonContent(ContactSchema, 'The updated contact'), 403: jsonContent(ErrorSchema, 'An agent’s change to a contact that is not theirs'), 404: jsonContent(ErrorSchema, 'No such contact'), 409: jsonContent(ErrorSchema, 'Mobile or email already belongs to details.existingId'), ...errorResponses },
    }),
    async (c) => {
      const contact = unwrap(await editContactAs(c.var.deps, c.var.user, contactId(c.req.valid('param').id), c.req.valid('json')))
      return c.json(contactJson(contact), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'delete', path: '/v1/contacts/{id}', tags: ['contacts'], security, request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, 403: jsonContent(ErrorSchema, 'An agent’s delete of a contact that is not theirs'), 404: jsonContent(ErrorSchema, 'No such contact'), 401: errorResponses[401] },
    }),
    async (c) => {
      const deleted = await deleteContactAs(c.var.deps, c.var.user, contactId(c.req.valid('param').id))
      if (deleted === 'not_found') throw new AppError('not_found', 'No such contact.')
      if (deleted === 'forbidden') throw new AppError('forbidden', NOT_YOURS)
      return c.body(null, 204)
    },
  )
  return app
}
