import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { hashToken } from '../../infra/tokens.ts'

/** Maps `Authorization: Bearer <token>` to an active user, who becomes the actor of the request. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  const token = match?.[1]
  if (token === undefined) {
    throw new AppError('unauthorized', 'Send an API token as "Authorization: Bearer <token>".', undefined, { 'WWW-Authenticate': 'Bearer' })
  }
  const user = await c.var.deps.users.byTokenHash(await hashToken(token))
  if (user === null) throw new AppError('unauthorized', 'The API token is not valid.', undefined, { 'WWW-Authenticate': 'Bearer error="invalid_token"' })
  c.set('user', user)
  await next()
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.user.role !== 'admin') throw new AppError('forbidden', 'Only admins may do this.')
  await next()
}
