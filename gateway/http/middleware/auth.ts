import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { BearerChallenge } from '../errors.ts'
import { hashToken } from '../../infra/tokens.ts'
import { refuseCounted } from './rate-limit.ts'

/** A 401, counted against the caller's address: a script guessing tokens gets 429 once past the budget. */
function refuse(c: Context<AppEnv>, message: string, challenge: string): Promise<never> {
  const rule = { name: 'auth-failure', perMinute: c.var.deps.config.limits.authFailuresPerMinute, what: 'requests with a missing or wrong API token from this address' }
  return refuseCounted(c, rule, new BearerChallenge(message, challenge))
}

/** Maps `Authorization: Bearer <token>` to an active user, who becomes the actor of the request. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header('authorization') ?? ''
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  const token = match?.[1]
  if (token === undefined) return refuse(c, 'Send an API token as "Authorization: Bearer <token>".', 'Bearer')
  const user = await c.var.deps.users.byTokenHash(await hashToken(token))
  if (user === null) return refuse(c, 'The API token is not valid.', 'Bearer error="invalid_token"')
  c.set('user', user)
  await next()
}

export const requireAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.var.user.role !== 'admin') throw new AppError('forbidden', 'Only admins may do this.')
  await next()
}
