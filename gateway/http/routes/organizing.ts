import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { CUSTOM_FIELD_TYPES } from '../../../domain/custom-fields.ts'
import { createCustomFieldAs, customFields, deleteCustomFieldAs, updateCustomFieldAs } from '../../actions/custom-fields.ts'
import { createLabelAs, deleteLabelAs, labels, updateLabelAs } from '../../actions/labels.ts'
import type { AppEnv } from '../../deps.ts'
import { idOrNotFound } from '../cursor.ts'
import { ErrorSchema, errorResponses, IdParam, jsonBody, jsonContent } from '../schemas.ts'
import { validationHook } from '../validation.ts'

const security = [{ Bearer: [] }]

const LabelSchema = z.object({ id: z.string(), name: z.string(), color: z.string().nullable(), contacts: z.number().int() }).openapi('Label')
const LabelInput = z.object({ name: z.string().max(200), color: z.string().max(20).nullable().optional().openapi({ description: '#rrggbb' }) }).strict()
const LabelPatch = z.object({ name: z.string().max(200).optional(), color: z.string().max(20).nullable().optional() }).strict()

const FieldSchema = z.object({ key: z.string(), label: z.string(), type: z.enum(CUSTOM_FIELD_TYPES), choices: z.array(z.string()).optional() }).openapi('CustomField')
const FieldInput = z.object({
  key: z.string().max(40).openapi({ description: '^[a-z][a-z0-9_]{0,39}$; values are stored under it' }),
  label: z.string().max(200), type: z.enum(CUSTOM_FIELD_TYPES), choices: z.array(z.string().max(200)).max(200).optional(),
}).strict()
const FieldPatch = z.object({ label: z.string().max(200).optional(), choices: z.array(z.string().max(200)).max(200).optional() }).strict()
const KeyParam = z.object({ key: z.string().max(40).openapi({ param: { name: 'key', in: 'path' } }) })

const labelId = (id: string) => idOrNotFound(id, 'No such label.')

/** Labels (everyone reads and makes them; admins rename, recolour and delete) and custom fields (admins define). */
export function organizingRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.openapi(createRoute({
    method: 'get', path: '/v1/labels', tags: ['labels'], security, summary: 'Every label A–Z, with how many contacts carry it',
    responses: { 200: jsonContent(z.object({ items: z.array(LabelSchema) }), 'The labels'), ...errorResponses },
  }), async (c) => c.json({ items: await labels(c.var.deps) }, 200))

  app.openapi(createRoute({
    method: 'post', path: '/v1/labels', tags: ['labels'], security, summary: 'Make a label (names are unique ignoring case and accents)',
    request: { body: jsonBody(LabelInput) },
    responses: { 201: jsonContent(LabelSchema, 'Made'), 409: jsonContent(ErrorSchema, 'A label with that name exists'), ...errorResponses },
  }), async (c) => c.json(await createLabelAs(c.var.deps, c.req.valid('json')), 201))

  app.openapi(createRoute({
    method: 'patch', path: '/v1/labels/{id}', tags: ['labels'], security, summary: 'Rename or recolour a label (admins); a rename shows on every contact',
    request: { params: IdParam, body: jsonBody(LabelPatch) },
    responses: { 200: jsonContent(LabelSchema, 'The label'), 403: jsonContent(ErrorSchema, 'Not an admin'), 404: jsonContent(ErrorSchema, 'No such label'), 409: jsonContent(ErrorSchema, 'A label with that name exists'), ...errorResponses },
  }), async (c) => c.json(await updateLabelAs(c.var.deps, c.var.user, labelId(c.req.valid('param').id), c.req.valid('json')), 200))

  app.openapi(createRoute({
    method: 'delete', path: '/v1/labels/{id}', tags: ['labels'], security, summary: 'Delete a label (admins); it is taken off every contact',
    request: { params: IdParam },
    responses: { 204: { description: 'Deleted' }, 403: jsonContent(ErrorSchema, 'Not an admin'), 404: jsonContent(ErrorSchema, 'No such label'), ...errorResponses },
  }), async (c) => {
    await deleteLabelAs(c.var.deps, c.var.user, labelId(c.req.valid('param').id))
    return c.body(null, 204)
  })

  app.openapi(createRoute({
    method: 'get', path: '/v1/fields', tags: ['fields'], security, summary: 'The custom fields, in the order they were made',
    responses: { 200: jsonContent(z.object({ items: z.array(FieldSchema) }), 'The custom fields'), ...errorResponses },
  }), async (c) => c.json({ items: await customFields(c.var.deps) }, 200))

  app.openapi(createRoute({
    method: 'post', path: '/v1/fields', tags: ['fields'], security, summary: 'Define a custom field (admins)',
    request: { body: jsonBody(FieldInput) },
    responses: { 201: jsonContent(FieldSchema, 'Defined'), 403: jsonContent(ErrorSchema, 'Not an admin'), 409: jsonContent(ErrorSchema, 'The key is taken'), ...errorResponses },
  }), async (c) => c.json(await createCustomFieldAs(c.var.deps, c.var.user, c.req.valid('json')), 201))

  app.openapi(createRoute({
    method: 'patch', path: '/v1/fields/{key}', tags: ['fields'], security, summary: 'Rename a custom field or change its choices (admins)',
    request: { params: KeyParam, body: jsonBody(FieldPatch) },
    responses: { 200: jsonContent(FieldSchema, 'The field'), 403: jsonContent(ErrorSchema, 'Not an admin'), 404: jsonContent(ErrorSchema, 'No such field'), ...errorResponses },
  }), async (c) => c.json(await updateCustomFieldAs(c.var.deps, c.var.user, c.req.valid('param').key, c.req.valid('json')), 200))

  app.openapi(createRoute({
    method: 'delete', path: '/v1/fields/{key}', tags: ['fields'], security, summary: 'Delete a custom field and every value of it (admins)',
    request: { params: KeyParam },
    responses: { 204: { description: 'Deleted' }, 403: jsonContent(ErrorSchema, 'Not an admin'), 404: jsonContent(ErrorSchema, 'No such field'), ...errorResponses },
  }), async (c) => {
    await deleteCustomFieldAs(c.var.deps, c.var.user, c.req.valid('param').key)
    return c.body(null, 204)
  })
  return app
}
