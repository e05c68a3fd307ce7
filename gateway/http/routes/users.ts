import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { insertUser, listUsers, updateUser } from '../../../storage/users.ts'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { requireAdmin } from '../middleware/auth.ts'
import { idOrNotFound } from '../cursor.ts'
import { CreatedUserSchema, ErrorSchema, errorResponses, IdParam, jsonContent, MeSchema, UserInputSchema, UserPatchSchema, UserSchema } from '../schemas.ts'
import { generateToken, hashToken } from '../../infra/tokens.ts'
import { validationHook } from '../validation.ts'
import { z } from '@hono/zod-openapi'

const security = [{ Bearer: [] }]

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
    async (c) => c.json(await listUsers(c.var.deps.sql), 200),
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
      const input = c.req.valid('json')
      const token = generateToken()
      const created = await insertUser(c.var.deps.sql, {
        id: c.var.deps.newId(), name: input.name, role: input.role, tokenHash: await hashToken(token), telegramId: input.telegramId ?? null, inboxes: input.inboxes ?? [],
      })
      if (!created.ok) throw new AppError('conflict', 'Another user already has this Telegram id.', { field: 'telegramId' })
      return c.json({ ...created.user, token }, 201)
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
      const result = await updateUser(c.var.deps.sql, id, {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.role === undefined ? {} : { role: input.role }),
        ...(input.telegramId === undefined ? {} : { telegramId: input.telegramId }),
        ...(input.active === undefined ? {} : { active: input.active }),
        ...(input.inboxes === undefined ? {} : { inboxes: input.inboxes }),
      })
      if (result.ok) {
        c.var.deps.users.clear()
        return c.json(result.user, 200)
      }
      switch (result.reason) {
        case 'not_found':
          throw new AppError('not_found', 'No such user.')
        case 'telegram_id':
          throw new AppError('conflict', 'Another user already has this Telegram id.', { field: 'telegramId' })
        case 'builtin':
          throw new AppError('conflict', 'The built-in admin stays an active admin.', { field: 'role' })
      }
    },
  )
  return app
}
