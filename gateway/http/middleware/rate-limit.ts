import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../deps.ts'
import { rateLimited } from '../../actions/errors.ts'

/** Per-token budget on the admin API, so one runaway script cannot starve everyone else. */
export const adminRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { limiter, config } = c.var.deps
  const decision = await limiter.hit({ name: 'admin', limit: config.limits.adminRequestsPerMinute, windowSeconds: 60 }, c.var.user.id)
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds, 'requests for this API token')
  await next()
}
