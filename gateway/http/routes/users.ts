import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { allUsers, changeUser, createUser, type UserRefusal } from '../../actions/users.ts'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { requireAdmin } from '../middleware/auth.ts'
import { idOrNotFound } from '../cursor.ts'
import { CreatedUserSchema, ErrorSchema, errorResponses, IdParam, jsonContent, MeSchema, UserInputSchema, UserPatchSchema, UserSchema } from '../schemas.ts'
import { validationHook } from '../validation.ts'
import { z } from '@hono/zod-openapi'

const security = [{ Bearer: [] }]

function refused(refusal: UserRefusal): AppError {
  switch (refusal.reason) {
    case 'not_found':
      return new AppError('not_found', 'No such user.')
    case 'telegram_id':
      return new AppError('conflict', 'Another user already has this Telegram id.', { field: 'telegramId' })
    case 'email':
      return new AppError('conflict', 'Another user signs in with this email.', { field: 'email' })
    case 'invalid_email':
      return new AppError('validation_failed', 'email is not a valid email address.', [{ field: 'email', code: 'invalid_email', message: 'is not a valid email address' }])
    case 'builtin':
      return new AppError('conflict', 'The built-in admin stays an active admin.', { field: 'role' })
  }
}

/** The console's "choose your password" page for a link code, on the origin the request came to. */
export function passwordLinkUrl(requestUrl: string, code: string): string {
  return new URL(`/console/setup?code=${encodeURIComponent(code)}`, requestUrl).toString()
}

export function userRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.openapi(
    createRoute({ method: 'get', path: '/v1/me', tags: ['users'], security, responses: { 200: jsonContent(MeSchema, 'The acting user'), 401: errorResponses[401] } }),
    (c) => {
      const { id, name, role } = c.var.user
      return c.json({ id, name, role }, 200)
    },
  )

  app.openapi(
    createRoute({ method: 'get', path: '/v1/users', tags: ['users'], security, responses: { 200: jsonContent(z.array(UserSchema), 'Agents and admins'), 401: errorResponses[401] } }),
    async (c) => c.json(await allUsers(c.var.deps), 200),
  )

  app.use('/v1/users', async (c, next) => (c.req.method === 'POST' ? requireAdmin(c, next) : next()))
  app.use('/v1/users/*', requireAdmin)
  app.openapi(
    createRoute({
      method: 'post', path: '/v1/users', tags: ['users'], security, summary: 'Add an agent or admin (admins only); the token is shown once',
      request: { body: { content: { 'application/json': { schema: UserInputSchema } }, required: true } },
      responses: { 201: jsonContent(CreatedUserSchema, 'Created'), 403: jsonContent(ErrorSchema, 'Not an admin'), 409: jsonContent(ErrorSchema, 'Telegram id already taken'), ...errorResponses },
    }),
    async (c) => {
      const created = await createUser(c.var.deps, c.req.valid('json'))
      if (!created.ok) throw refused(created)
      const passwordLink = created.passwordCode === null ? null : passwordLinkUrl(c.req.url, created.passwordCode)
      return c.json({ ...created.user, token: created.token, passwordLink }, 201)
    },
  )

  app.openapi(
    createRoute({
      method: 'patch', path: '/v1/users/{id}', tags: ['users'], security, summary: 'Change a user, their inboxes, or deactivate them (admins only)',
      request: { params: IdParam, body: { content: { 'application/json': { schema: UserPatchSchema } }, required: true } },
      responses: { 200: jsonContent(UserSchema, 'The user'), 403: jsonContent(ErrorSchema, 'Not an admin'), 404: jsonContent(ErrorSchema, 'No such user'), 409: jsonContent(ErrorSchema, 'Telegram id already taken'), ...errorResponses },
    }),
    async (c) => {
      const id = idOrNotFound(c.req.valid('param').id, 'No such user.')
      const input = c.req.valid('json')
      const result = await changeUser(c.var.deps, id, c.req.valid('json'))
      if (!result.ok) throw refused(result)
      return c.json(result.user, 200)
    },
  )
  return app
}
