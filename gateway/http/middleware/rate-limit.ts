import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../deps.ts'
import { AppError, rateLimited } from '../../actions/errors.ts'

/** Per-token budget on the admin API, so one runaway script cannot starve everyone else. */
export const adminRateLimit: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { limiter, config } = c.var.deps
  const decision = await limiter.hit({ name: 'admin', limit: config.limits.adminRequestsPerMinute, windowSeconds: 60 }, c.var.user.id)
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds, 'requests for this API token')
  await next()
}

/**
 * Refuses a request whose credentials are wrong. Only failures count against the caller's address (callers with
 * the right credentials are never limited); past the budget the answer is 429 instead of `refusal`.
 */
export async function refuseCounted(c: Context<AppEnv>, rule: { name: string; perMinute: number; what: string }, refusal: AppError): Promise<never> {
  const { deps } = c.var
  const decision = await deps.limiter.hit({ name: rule.name, limit: rule.perMinute, windowSeconds: 60 }, deps.clientAddress(c))
  if (!decision.allowed) throw rateLimited(decision.retryAfterSeconds, rule.what)
  throw refusal
}
