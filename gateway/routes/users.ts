import { createRoute, OpenAPIHono } from '@hono/zod-openapi'
import { insertUser, listUsers } from '../../storage/users.ts'
import type { AppEnv } from '../deps.ts'
import { AppError } from '../errors.ts'
import { requireAdmin } from '../middleware/auth.ts'
import { CreatedUserSchema, ErrorSchema, errorResponses, jsonContent, MeSchema, UserInputSchema, UserSchema } from '../schemas.ts'
import { generateToken, hashToken } from '../tokens.ts'
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
        id: c.var.deps.newId(), name: input.name, role: input.role, tokenHash: await hashToken(token), telegramId: input.telegramId ?? null,
      })
      if (!created.ok) throw new AppError('conflict', 'Another user already has this Telegram id.', { field: 'telegramId' })
      return c.json({ ...created.user, token }, 201)
    },
  )
  return app
}
