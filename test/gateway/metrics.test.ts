import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { requestMetrics } from '../../gateway/http/middleware/request-metrics.ts'
import { metricsRoutes, type MetricsAuth } from '../../gateway/http/routes/metrics.ts'
import { createMetrics, type MetricsOptions, type MetricsSources } from '../../gateway/infra/metrics.ts'

const METRICS_TOKEN = 'scrape-secret'
const ADMIN_TOKEN = 'admin-token'

const healthySources: MetricsSources = {
  inbox: async () => ({ depth: 7, lagSeconds: 12.5, dead: 2 }),
  jobs: async () => [
    { kind: 'import', state: 'queued', count: 3 },
    { kind: 'import', state: 'running', count: 1 },
    { kind: 'crm_sync', state: 'failed', count: 4 },
  ],
  poolInUse: async () => 6,
}

function setup(sources: MetricsSources = healthySources, auth: Partial<MetricsAuth> = {}, options: MetricsOptions = {}) {
  const metrics = createMetrics(() => sources, options)
  const app = new Hono()
  app.use('*', requestMetrics(metrics))
  app.get('/contacts/:id', (c) => c.json({ id: c.req.param('id') }))
  app.post('/webhooks/meta', (c) => c.text('EVENT_RECEIVED'))
  app.route('/', metricsRoutes(metrics, { metricsToken: METRICS_TOKEN, isAdminToken: async (t) => t === ADMIN_TOKEN, ...auth }))
  return { app, metrics }
}

async function scrape(app: Hono, token = METRICS_TOKEN): Promise<string> {
  const res = await app.request('/metrics', { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
  return res.text()
}

/** The sample lines of one metric (no HELP or TYPE), so that "left out" can be asserted. */
function samples(text: string, name: string): string[] {
  return text.split('\n').filter((line) => line.startsWith(`${name} `) || line.startsWith(`${name}{`))
}

describe('GET /metrics', () => {
  it('counts and times requests by route pattern and status', async () => {
    const { app } = setup()
    await app.request('/contacts/42')
    await app.request('/contacts/43')
    await app.request('/webhooks/meta', { method: 'POST', body: '{}' })
    await app.request('/no/such/route')
    const text = await scrape(app)
    const h = 'contact_gateway_http_request_duration_seconds'
    expect(text).toContain(`${h}_count{route="/contacts/:id",method="GET",status="200"} 2`)
    expect(text).toContain(`${h}_count{route="/webhooks/meta",method="POST",status="200"} 1`)
    expect(text).toContain(`${h}_count{route="(unmatched)",method="GET",status="404"} 1`)
    expect(text).toContain(`${h}_bucket{le="0.001",route="/contacts/:id",method="GET",status="200"}`)
    expect(text).toContain(`${h}_bucket{le="5",route="/contacts/:id",method="GET",status="200"} 2`)
    expect(text).toMatch(new RegExp(`^${h}_sum\\{route="/contacts/:id",method="GET",status="200"\\} \\d`, 'm'))
    expect(text).not.toContain('/contacts/42')
    expect(text).not.toContain('/no/such/route')
  })

  it('reports the inbox, jobs, imported rows, the pool and the process', async () => {
    const { app, metrics } = setup()
    metrics.importRows(5)
    const text = await scrape(app)
    expect(samples(text, 'contact_gateway_inbox_depth')).toEqual(['contact_gateway_inbox_depth 7'])
    expect(samples(text, 'contact_gateway_inbox_lag_seconds')).toEqual(['contact_gateway_inbox_lag_seconds 12.5'])
    expect(samples(text, 'contact_gateway_inbox_dead')).toEqual(['contact_gateway_inbox_dead 2'])
    expect(samples(text, 'contact_gateway_jobs')).toEqual([
      'contact_gateway_jobs{kind="import",state="queued"} 3',
      'contact_gateway_jobs{kind="import",state="running"} 1',
      'contact_gateway_jobs{kind="crm_sync",state="failed"} 4',
    ])
    expect(samples(text, 'contact_gateway_import_rows_total')).toEqual(['contact_gateway_import_rows_total 5'])
    expect(samples(text, 'contact_gateway_db_pool_in_use')).toEqual(['contact_gateway_db_pool_in_use 6'])
    expect(samples(text, 'contact_gateway_metrics_source_errors_total')).toEqual([
      'contact_gateway_metrics_source_errors_total{source="inbox"} 0',
      'contact_gateway_metrics_source_errors_total{source="jobs"} 0',
      'contact_gateway_metrics_source_errors_total{source="pool"} 0',
    ])
    expect(samples(text, 'process_cpu_user_seconds_total')).toHaveLength(1)
  })

  it('ignores import row counts that are not positive numbers', async () => {
    const { app, metrics } = setup()
    metrics.importRows(3)
    expect(() => { metrics.importRows(-1); metrics.importRows(Number.NaN) }).not.toThrow()
    expect(samples(await scrape(app), 'contact_gateway_import_rows_total')).toEqual(['contact_gateway_import_rows_total 3'])
  })

  it('leaves out the gauges of a source that throws, keeps the others and counts one error per scrape', async () => {
    let reads = 0
    const { app } = setup({ ...healthySources, inbox: async () => { reads++; throw new Error('connection refused') } })
    const first = await scrape(app)
    expect(samples(first, 'contact_gateway_inbox_depth')).toEqual([])
    expect(samples(first, 'contact_gateway_inbox_lag_seconds')).toEqual([])
    expect(samples(first, 'contact_gateway_inbox_dead')).toEqual([])
    expect(samples(first, 'contact_gateway_jobs')).toHaveLength(3)
    expect(samples(first, 'contact_gateway_db_pool_in_use')).toEqual(['contact_gateway_db_pool_in_use 6'])
    expect(first).toContain('contact_gateway_metrics_source_errors_total{source="inbox"} 1')
    expect(first).toContain('contact_gateway_metrics_source_errors_total{source="pool"} 0')
    const second = await scrape(app)
    expect(second).toContain('contact_gateway_metrics_source_errors_total{source="inbox"} 2')
    expect(reads).toBe(2)
  })

  it('drops the jobs of an earlier scrape when the jobs source fails', async () => {
    let failing = false
    const { app } = setup({ ...healthySources, jobs: async () => { if (failing) throw new Error('boom'); return healthySources.jobs() } })
    expect(samples(await scrape(app), 'contact_gateway_jobs')).toHaveLength(3)
    failing = true
    const text = await scrape(app)
    expect(samples(text, 'contact_gateway_jobs')).toEqual([])
    expect(text).toContain('contact_gateway_metrics_source_errors_total{source="jobs"} 1')
  })

  it('counts a source that does not answer in time as failed', async () => {
    const { app } = setup({ ...healthySources, poolInUse: () => new Promise<number>(() => {}) }, {}, { sourceTimeoutMs: 20 })
    const text = await scrape(app)
    expect(samples(text, 'contact_gateway_db_pool_in_use')).toEqual([])
    expect(text).toContain('contact_gateway_metrics_source_errors_total{source="pool"} 1')
    expect(samples(text, 'contact_gateway_inbox_depth')).toEqual(['contact_gateway_inbox_depth 7'])
  })

  it('answers 401 in the contract shape without a token or with a wrong one', async () => {
    const { app } = setup()
    const missing = await app.request('/metrics')
    expect(missing.status).toBe(401)
    expect(missing.headers.get('www-authenticate')).toBe('Bearer')
    const body = (await missing.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('unauthorized')
    expect(body.error.message).not.toBe('')
    const wrong = await app.request('/metrics', { headers: { authorization: 'Bearer scrape-secreT' } })
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('unauthorized')
    expect(wrong.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
  })

  it('accepts METRICS_TOKEN and an admin token', async () => {
    const { app } = setup()
    expect(await scrape(app, METRICS_TOKEN)).toContain('contact_gateway_inbox_depth 7')
    expect(await scrape(app, ADMIN_TOKEN)).toContain('contact_gateway_inbox_depth 7')
  })

  it('without METRICS_TOKEN only admins may scrape', async () => {
    const { app } = setup(healthySources, { metricsToken: undefined })
    expect((await app.request('/metrics', { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).status).toBe(401)
    expect(await scrape(app, ADMIN_TOKEN)).toContain('contact_gateway_db_pool_in_use 6')
  })

  it('keeps the apps of one process apart', async () => {
    const a = setup()
    const b = setup()
    a.metrics.importRows(4)
    expect(samples(await scrape(a.app), 'contact_gateway_import_rows_total')).toEqual(['contact_gateway_import_rows_total 4'])
    expect(samples(await scrape(b.app), 'contact_gateway_import_rows_total')).toEqual(['contact_gateway_import_rows_total 0'])
  })
})
