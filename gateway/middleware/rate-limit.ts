import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../deps.ts'
import { AppError } from '../errors.ts'
import type { RateDecision } from '../rate-limit.ts'

export function rateLimited(decision: RateDecision, what: string): AppError {
  return new AppError('rate_limited', `Too many ${what}; retry in ${decision.retryAfterSeconds} s.`, { retryAfterSeconds: decision.retryAfterSeconds }, { 'Retry-After': String(decision.retryAfterSeconds) })
}

/** Per-token budget on the admin API, so one runaway script cannot starve everyone else. */
export const adminRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { limiter, config } = c.var.deps
  const decision = await limiter.hit({ name: 'admin', limit: config.limits.adminRequestsPerMinute, windowSeconds: 60 }, c.var.user.id)
  if (!decision.allowed) throw rateLimited(decision, 'requests for this API token')
  await next()
}
