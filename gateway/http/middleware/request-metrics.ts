import type { Context, MiddlewareHandler } from 'hono'
import { routePath } from 'hono/route'
import type { Metrics } from '../../infra/metrics.ts'

export const UNMATCHED_ROUTE = '(unmatched)'

// Any other method string would become a label value of its own; callers choose it, so it is folded.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/**
 * The registered pattern that answered ('/v1/contacts/:id'), never the path: ids in a label would make a series per
 * contact. Called after next(), when c.req.routeIndex points at the last route that ran. A request that no handler
 * matched ran only catch-all middleware ('*', '/v1/*') before the not-found handler; such a 404 is unmatched.
 */
function routeOf(c: Context, status: number): string {
  const pattern = routePath(c)
  if (pattern === '' || (status === 404 && pattern.endsWith('*'))) return UNMATCHED_ROUTE
  return pattern
}

/** Times every request; mount it first so that the time includes the other middleware. */
export function requestMetrics(metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now()
    // Hono turns a thrown Error into a response before it reaches here; anything else escapes as a failure.
    let status = 500
    try {
      await next()
      status = c.res.status
    } finally {
      const method = METHODS.has(c.req.method) ? c.req.method : 'OTHER'
      metrics.observeRequest(routeOf(c, status), method, status, (performance.now() - started) / 1000)
    }
  }
}
