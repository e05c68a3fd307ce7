import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, deliver, META_ENV, settleInbox, startTestApp, type TestApp } from '../helpers/app.ts'
import { waText } from '../helpers/meta.ts'

const METRICS_TOKEN = 'metrics-scraper-token-0123456789'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ ...META_ENV, METRICS_TOKEN })
})
afterAll(() => t.close())

async function scrape(token: string | null = ADMIN_TOKEN): Promise<{ status: number; text: string }> {
  const res = await t.app.request('/metrics', { headers: token === null ? {} : { authorization: `Bearer ${token}` } })
  return { status: res.status, text: await res.text() }
}

const value = (text: string, line: RegExp) => Number(line.exec(text)?.[1])

describe('GET /metrics on the gateway', () => {
  it('counts requests by route pattern and status, and reads the inbox as it fills and drains', async () => {
    expect((await t.call('GET', '/v1/contacts/0190a4b2-0000-7000-8000-000000000000')).status).toBe(404)
    expect((await deliver(t, 'whatsapp', waText({ waId: '447400990501', id: 'wamid.metrics1', text: 'counted' }), { drain: false })).status).toBe(200)
    const waiting = await scrape()
    expect(waiting.status).toBe(200)
    expect(waiting.text).toMatch(/contact_gateway_http_request_duration_seconds_count\{route="\/v1\/contacts\/:id",method="GET",status="404"\} 1/)
    expect(waiting.text).toMatch(/contact_gateway_http_request_duration_seconds_count\{route="\/webhooks\/:channel\{whatsapp\|instagram\|messenger\}",method="POST",status="200"\} 1/)
    expect(value(waiting.text, /^contact_gateway_inbox_depth (\d+)/m)).toBe(1)
    expect(value(waiting.text, /^contact_gateway_inbox_dead (\d+)/m)).toBe(0)
    expect(waiting.text).toMatch(/^contact_gateway_db_pool_in_use \d+/m)
    expect(waiting.text).toMatch(/^process_resident_memory_bytes \d+/m)

    await settleInbox(t.deps)
    const drained = await scrape(METRICS_TOKEN)
    expect(drained.status).toBe(200)
    expect(value(drained.text, /^contact_gateway_inbox_depth (\d+)/m)).toBe(0)
    expect(value(drained.text, /^contact_gateway_inbox_lag_seconds (\S+)/m)).toBe(0)
  })

  it('refuses a scrape without a token, or with a token that is neither an admin’s nor METRICS_TOKEN', async () => {
    expect((await scrape(null)).status).toBe(401)
    expect((await scrape('not-the-metrics-token-at-all')).status).toBe(401)
    const agent = await (await t.call('POST', '/v1/users', { name: 'Metrics Agent', role: 'agent' })).json() as { token: string }
    expect((await scrape(agent.token)).status).toBe(401)
  })
})
