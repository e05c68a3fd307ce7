import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { checkOutbound } from '../../gateway/actions/outbound.ts'
import { loadSendTargets } from '../../storage/outbound.ts'
import { deliver, json, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { startFakeGraph } from '../helpers/fake-graph.ts'
import { memoryRateLimiter } from '../../gateway/infra/rate-limit.ts'
import { messaging, textEvent, waStatus, waText } from '../helpers/meta.ts'

// Counts the batched reads of send checks (gateway/infra/send-targets.ts): one call is one query.
vi.mock(import('../../storage/outbound.ts'), async (original) => {
  const real = await original()
  return { ...real, loadSendTargets: vi.fn(real.loadSendTargets) }
})

type ErrorJson = { error: { code: string; message: string; details?: Record<string, unknown> } }
type Sent = { id: string; externalId: string; status: string }

let t: TestApp
let graph: Awaited<ReturnType<typeof startFakeGraph>>
beforeAll(async () => {
  graph = await startFakeGraph()
  t = await startTestApp({
    ...META_ENV, GRAPH_API_BASE: graph.base, WHATSAPP_ACCESS_TOKEN: 'wa-token', META_PAGE_ACCESS_TOKEN: 'page-token', WHATSAPP_PHONE_NUMBER_ID: 'PNID_MAIN', SEND_RATE_PER_SECOND: '1000',
  }, { sleep: async () => {} })
})
afterAll(async () => {
  await t.close()
  await graph.close()
})

const secondsAgo = (s: number) => Math.floor(Date.now() / 1000) - s
let seq = 0

/** A contact who wrote on WhatsApp `agoSeconds` ago to PNID_REPLY. */
async function whatsappContact(agoSeconds: number, preference: 'proactive' | 'reactive' = 'reactive'): Promise<{ id: string; waId: string }> {
  const waId = `4474007${String(10000 + seq++)}`
  const res = await deliver(t, 'whatsapp', waText({ phoneNumberId: 'PNID_REPLY', waId, name: 'Out', id: `wamid.in-${waId}`, text: 'hi', ts: secondsAgo(agoSeconds) }))
  expect(res.status).toBe(200)
  const [row] = await t.deps.sql<{ contact_id: string }[]>`select contact_id from identities where external_id = ${waId}`
  const id = row?.contact_id ?? ''
  await t.call('PATCH', `/v1/contacts/${id}`, { preference })
  return { id, waId }
}

async function send(body: Record<string, unknown>, key?: string): Promise<Response> {
  return t.app.request('/v1/messages', {
    method: 'POST',
    headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: JSON.stringify(body),
  })
}

describe('POST /v1/outbound/check', () => {
  it('answers with the decision and a reason a person understands', async () => {
    const fresh = await whatsappContact(3600)
    const stale = await whatsappContact(3 * 86400)
    const inside = await json<{ allowed: boolean; reason: string; message: string }>(await t.call('POST', '/v1/outbound/check', { contactId: fresh.id, channel: 'whatsapp', kind: 'text' }))
    expect(inside).toEqual({ allowed: true, reason: 'inside_window', message: expect.stringContaining('24 hours') })
    const outside = await json(await t.call('POST', '/v1/outbound/check', { contactId: stale.id, channel: 'whatsapp', kind: 'template' }))
    expect(outside).toMatchObject({ allowed: false, reason: 'reactive_outside_window' })
    const noIdentity = await json(await t.call('POST', '/v1/outbound/check', { contactId: fresh.id, channel: 'messenger', kind: 'text' }))
    expect(noIdentity).toMatchObject({ allowed: false, reason: 'no_channel_identity' })
  })

  it('404s unknown contacts and names bad fields', async () => {
    expect((await t.call('POST', '/v1/outbound/check', { contactId: '01900000-0000-7000-8000-000000000000', channel: 'whatsapp', kind: 'text' })).status).toBe(404)
    const bad = await t.call('POST', '/v1/outbound/check', { contactId: 'x', channel: 'sms', kind: 'text' })
    expect(bad.status).toBe(422)
    expect(((await json<ErrorJson>(bad)).error.details as unknown as { field: string }[]).map((d) => d.field).sort()).toEqual(['channel', 'contactId'])
  })
})

describe('POST /v1/messages on WhatsApp', () => {
  it('sends a reply from the number the contact wrote to, records it, and follows status webhooks', async () => {
    const c = await whatsappContact(600)
    const before = graph.requests.length
    const res = await send({ contactId: c.id, channel: 'whatsapp', text: 'Thanks for writing!' })
    expect(res.status).toBe(202)
    const sent = await json<Sent>(res)
    expect(sent).toMatchObject({ status: 'sent', externalId: expect.stringMatching(/^wamid\.FAKE/) })
    expect(graph.requests.slice(before)).toEqual([{
      method: 'POST', path: '/PNID_REPLY/messages', authorization: 'Bearer wa-token',
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: c.waId, type: 'text', text: { body: 'Thanks for writing!', preview_url: false } },
    }])
    await deliver(t, 'whatsapp', waStatus({ id: sent.externalId, status: 'delivered', recipient: c.waId }))
    await deliver(t, 'whatsapp', waStatus({ id: sent.externalId, status: 'read', recipient: c.waId }))
    const page = await json<{ items: { externalId: string; direction: string; status?: string }[] }>(await t.call('GET', `/v1/contacts/${c.id}/messages`))
    expect(page.items[0]).toMatchObject({ externalId: sent.externalId, direction: 'outbound', status: 'read' })
  })

  it('refuses with the check’s reason and makes no HTTP call', async () => {
    const c = await whatsappContact(2 * 86400, 'reactive')
    const before = graph.requests.length
    const res = await send({ contactId: c.id, channel: 'whatsapp', text: 'Special offer!' })
    expect(res.status).toBe(403)
    expect(await json(res)).toMatchObject({ error: { code: 'reactive_outside_window', details: { reason: 'reactive_outside_window' } } })
    const proactive = await whatsappContact(2 * 86400, 'proactive')
    const text = await send({ contactId: proactive.id, channel: 'whatsapp', text: 'Hello again' })
    expect(text.status).toBe(403)
    expect((await json<ErrorJson>(text)).error.code).toBe('template_required')
    expect(graph.requests.length).toBe(before)
  })

  it('sends a template to a proactive contact outside the window, from the configured number to a typed-in mobile', async () => {
    const created = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Typed', mobile: '+44 7400 777888', preference: 'proactive' }))
    const before = graph.requests.length
    const res = await send({ contactId: created.id, channel: 'whatsapp', template: { name: 'order_update', language: 'en_GB', category: 'utility', components: [{ type: 'body', parameters: [{ type: 'text', text: '42' }] }] } })
    expect(res.status).toBe(202)
    expect(graph.requests.slice(before)).toEqual([expect.objectContaining({
      path: '/PNID_MAIN/messages',
      body: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '447400777888', type: 'template', template: { name: 'order_update', language: { code: 'en_GB' }, components: [{ type: 'body', parameters: [{ type: 'text', text: '42' }] }] } },
    })])
  })

  it.each([
    [131047, 400, 422, 'reengagement_required'],
    [131026, 400, 422, 'undeliverable'],
    [131056, 400, 429, 'pair_rate_limited'],
    [100, 400, 422, 'invalid_parameter'],
    [190, 401, 503, 'access_token_invalid'],
  ])('maps Graph error %i to %i %s and records the failure', async (code, graphStatus, status, errorCode) => {
    const c = await whatsappContact(60)
    graph.failWith(graphStatus, code, `Graph says ${code}`)
    const res = await send({ contactId: c.id, channel: 'whatsapp', text: 'x' })
    expect(res.status).toBe(status)
    expect(await json(res)).toMatchObject({ error: { code: errorCode, details: { graphCode: code } } })
    const [row] = await t.deps.sql<{ status: string; error: { code: number } }[]>`select status, error from messages where contact_id = ${c.id} and direction = 'outbound'`
    expect(row).toMatchObject({ status: 'failed', error: { code } })
  })

  it('retries Graph 5xx with backoff, then gives up with 502', async () => {
    const c = await whatsappContact(60)
    graph.serverError(2)
    let before = graph.requests.length
    expect((await send({ contactId: c.id, channel: 'whatsapp', text: 'third time lucky' })).status).toBe(202)
    expect(graph.requests.length - before).toBe(3)
    graph.serverError(3)
    before = graph.requests.length
    const res = await send({ contactId: c.id, channel: 'whatsapp', text: 'never' })
    expect(res.status).toBe(502)
    expect((await json<ErrorJson>(res)).error.code).toBe('upstream_unavailable')
    expect(graph.requests.length - before).toBe(3)
  })

  it('sends once for a retried request with the same Idempotency-Key', async () => {
    const c = await whatsappContact(60)
    const before = graph.requests.length
    const key = `key-${Date.now()}`
    const first = await send({ contactId: c.id, channel: 'whatsapp', text: 'only once' }, key)
    const second = await send({ contactId: c.id, channel: 'whatsapp', text: 'only once' }, key)
    expect(first.status).toBe(202)
    expect(second.status).toBe(202)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect(await json(second)).toEqual(await json(first))
    expect(graph.requests.length - before).toBe(1)
  })

  it('refuses a body with both or neither of text and template', async () => {
    const c = await whatsappContact(60)
    expect((await send({ contactId: c.id, channel: 'whatsapp' })).status).toBe(422)
    expect((await send({ contactId: c.id, channel: 'whatsapp', text: 'a', template: { name: 'x', language: 'en' } })).status).toBe(422)
  })
})

describe('POST /v1/messages on Messenger', () => {
  it('replies through the Send API, and uses HUMAN_AGENT between 24 hours and 7 days for proactive contacts', async () => {
    const psid = `psid-out-${Date.now()}`
    const now = Date.now()
    await deliver(t, 'messenger', messaging('page', 'PAGE_OUT', [textEvent({ from: psid, to: 'PAGE_OUT', mid: `m-${psid}`, text: 'hello', ts: now - 3 * 86_400_000 })]))
    const [row] = await t.deps.sql<{ contact_id: string }[]>`select contact_id from identities where external_id = ${psid}`
    const contactId = row?.contact_id ?? ''
    await t.call('PATCH', `/v1/contacts/${contactId}`, { preference: 'proactive' })
    expect((await send({ contactId, channel: 'messenger', text: 'late reply' })).status).toBe(403)
    const before = graph.requests.length
    const res = await send({ contactId, channel: 'messenger', text: 'a person here', tag: 'HUMAN_AGENT' })
    expect(res.status).toBe(202)
    expect(graph.requests.slice(before)).toEqual([{
      method: 'POST', path: '/me/messages', authorization: 'Bearer page-token',
      body: { recipient: { id: psid }, messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT', message: { text: 'a person here' } },
    }])
  })
})

describe('checks that arrive together', () => {
  it('read their contacts with one query', async () => {
    const contacts = await Promise.all(Array.from({ length: 5 }, () => whatsappContact(60)))
    vi.mocked(loadSendTargets).mockClear()
    const decisions = await Promise.all(contacts.map((c) => checkOutbound(t.deps, { contactId: c.id, channel: 'whatsapp', kind: 'text' })))
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true])
    expect(vi.mocked(loadSendTargets).mock.calls.map(([, ids]) => [...ids].sort())).toEqual([contacts.map((c) => c.id).sort()])
  })
})

describe('limits and configuration', () => {
  it('answers 429 with Retry-After past the per-number send rate', async () => {
    const limited = await startTestApp({ ...META_ENV, GRAPH_API_BASE: graph.base, WHATSAPP_ACCESS_TOKEN: 'wa-token', SEND_RATE_PER_SECOND: '2' }, { sleep: async () => {} })
    try {
      await deliver(limited, 'whatsapp', waText({ phoneNumberId: 'PNID_RATE', waId: '447400123999', id: `wamid.rate-${Date.now()}`, text: 'hi', ts: secondsAgo(10) }))
      const [row] = await limited.deps.sql<{ contact_id: string }[]>`select contact_id from identities where external_id = '447400123999'`
      // The limiter's clock stands still, so the burst falls in one window (the Redis limiter's windows follow the
      // wall clock; test/infra/stores.contract.test.ts holds it to the same rules).
      let now = Date.parse('2025-06-01T12:00:00.250Z')
      limited.deps.limiter = memoryRateLimiter(() => now)
      const burst = () => limited.call('POST', '/v1/messages', { contactId: row?.contact_id, channel: 'whatsapp', text: 'burst' })
      const results = await Promise.all(Array.from({ length: 6 }, burst))
      expect(results.map((r) => r.status).sort()).toEqual([202, 202, 429, 429, 429, 429])
      expect(results.filter((r) => r.status === 429).map((r) => r.headers.get('retry-after'))).toEqual(['1', '1', '1', '1'])
      now += 1000
      expect((await burst()).status).toBe(202)
    } finally {
      await limited.close()
    }
  })

  it('answers 503 when sending is not configured', async () => {
    const bare = await startTestApp(META_ENV)
    try {
      await deliver(bare, 'whatsapp', waText({ waId: '447400123998', id: 'wamid.unconf', text: 'hi', ts: secondsAgo(10) }))
      const [row] = await bare.deps.sql<{ contact_id: string }[]>`select contact_id from identities where external_id = '447400123998'`
      const res = await bare.call('POST', '/v1/messages', { contactId: row?.contact_id, channel: 'whatsapp', text: 'x' })
      expect(res.status).toBe(503)
      expect((await json<ErrorJson>(res)).error.code).toBe('not_configured')
    } finally {
      await bare.close()
    }
  })
})
