import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../deps.ts'

/** One line per request. Only the path is logged: query strings can carry verify tokens and headers carry keys. */
export const requestLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now()
  await next()
  const user = c.get('user') as AppEnv['Variables']['user'] | undefined
  c.var.deps.logger.info(
    { method: c.req.method, path: c.req.path, status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10, userId: user?.id },
    'request',
  )
}
