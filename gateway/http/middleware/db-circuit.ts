import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { isConnectionFailure } from '../../infra/db-circuit.ts'

export function databaseUnavailable(): AppError {
  return new AppError('database_unavailable', 'The database is unavailable; try again shortly.', undefined, { retryAfterSeconds: 5 })
}

// How long a request that arrives while the circuit is open waits for a probe: a database that is back answers
// one in milliseconds, so the first request after it returns is served.
const PROBE_WAIT_MS = 300
// Longer than almost every request takes; a long one (an upload, a big list change) only costs a probe now and then.
const STALL_CHECK_MS = 2000

/**
 * Fails fast while the database is down: 503 at once when the circuit is open, and for requests already waiting
 * on the pool as soon as it opens (what they wait for is then abandoned: a webhook is redelivered, and an admin
 * call answered 503 may be retried). A connection failure met by a request opens it. The Meta handshake and the
 * OpenAPI document need no database; /healthz reports the circuit itself.
 */
export const failFastWithoutDatabase: MiddlewareHandler<AppEnv> = async (c, next) => {
  // /metrics is scraped with METRICS_TOKEN without the database, and a gauge it cannot read is left out.
  if (c.req.method === 'GET' && (c.req.path === '/openapi.json' || c.req.path === '/healthz' || c.req.path === '/metrics' || c.req.path.startsWith('/webhooks/'))) return next()
  const circuit = c.var.deps.database
  if (!(await circuit.ready(PROBE_WAIT_MS))) throw databaseUnavailable()
  const work = next()
  // A request still waiting after a while may be waiting on a connection that went silent: the circuit then asks
  // the database on a connection of its own, and opens if it gets no answer, which ends this wait with a 503.
  const stallCheck = setInterval(() => circuit.stalled(), STALL_CHECK_MS)
  const first = await Promise.race([work.then(() => 'done' as const), circuit.opened().then(() => 'open' as const)]).finally(() => clearInterval(stallCheck))
  if (first === 'open') {
    work.catch(() => {})
    throw databaseUnavailable()
  }
  if (isConnectionFailure(c.error)) circuit.trip()
}
