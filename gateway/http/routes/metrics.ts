import { Hono } from 'hono'
import type { Context } from 'hono'
import type { Metrics } from '../../infra/metrics.ts'
import { BearerChallenge, errorAnswer } from '../errors.ts'
import { secretsEqual } from '../signature.ts'

export type MetricsAuth = {
  /** METRICS_TOKEN: lets Prometheus scrape without an admin's token, and without a database query. */
  metricsToken: string | undefined
  isAdminToken: (token: string) => Promise<boolean>
}

function refuse(c: Context, message: string, challenge: string) {
  const { status, body, headers } = errorAnswer(new BearerChallenge(message, challenge))
  return c.json(body, status, headers)
}

async function allowed(auth: MetricsAuth, token: string): Promise<boolean> {
  // The scrape token first: it needs no database, so metrics still answer while the database is down.
  if (auth.metricsToken !== undefined && (await secretsEqual(auth.metricsToken, token))) return true
  return auth.isAdminToken(token)
}

/** GET /metrics in Prometheus' text format, for an admin's API token or METRICS_TOKEN. */
export function metricsRoutes(metrics: Metrics, auth: MetricsAuth) {
  const app = new Hono()
  app.get('/metrics', async (c) => {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1]
    if (token === undefined) return refuse(c, 'Send an admin API token or METRICS_TOKEN as "Authorization: Bearer <token>".', 'Bearer')
    if (!(await allowed(auth, token))) return refuse(c, 'The token may not read metrics.', 'Bearer error="invalid_token"')
    const { contentType, body } = await metrics.render()
    return c.body(body, 200, { 'Content-Type': contentType })
  })
  return app
}
