import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escapeNonAscii } from '../../gateway/http/signature.ts'
import { deliver, json, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { sign, VERIFY_TOKEN, waText } from '../helpers/meta.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(META_ENV)
})
afterAll(async () => {
  await t.close()
})

async function messageCount(): Promise<number> {
  const [row] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from messages`
  return row?.n ?? -1
}

describe('GET /webhooks/:channel (verification)', () => {
  it.each(['whatsapp', 'instagram', 'messenger'])('%s echoes the challenge for the right token', async (channel) => {
    const res = await t.app.request(`/webhooks/${channel}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('1158201444')
  })

  it('answers 403 for a wrong token or mode', async () => {
    expect((await t.app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1')).status).toBe(403)
    expect((await t.app.request(`/webhooks/whatsapp?hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`)).status).toBe(403)
  })
})

describe('POST /webhooks/:channel', () => {
  const payload = waText({ waId: '447400123123', name: 'Jane', id: 'wamid.http1', text: 'hi' })

  it('answers 401 and stores nothing without a valid signature', async () => {
    const before = await messageCount()
    for (const signature of [null, 'sha256=00', sign(JSON.stringify(payload), 'wrong-secret'), `sha1=${'0'.repeat(40)}`]) {
      const res = await deliver(t, 'whatsapp', payload, { signature, client: 'sig-test' })
      expect(res.status).toBe(401)
    }
    expect(await messageCount()).toBe(before)
  })

  it('accepts a signature over the raw bytes', async () => {
    const res = await deliver(t, 'whatsapp', payload)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ ok: true })
  })

  it('accepts a signature over the escaped-unicode form Meta signs', async () => {
    const body = JSON.stringify(waText({ waId: '34612345678', name: 'José Müller 😀', id: 'wamid.unicode', text: 'señor' }))
    expect(body).toContain('é')
    const res = await deliver(t, 'whatsapp', body, { signature: sign(escapeNonAscii(body)) })
    expect(res.status).toBe(200)
    const [row] = await t.deps.sql<{ name: string }[]>`select c.name from contacts c join identities i on i.contact_id = c.id where i.external_id = '34612345678'`
    expect(row?.name).toBe('José Müller 😀')
  })

  it('answers 400 for signed bodies that are not JSON', async () => {
    const res = await deliver(t, 'whatsapp', '{"object": "whatsapp_business_account", ')
    expect(res.status).toBe(400)
    expect(await json(res)).toMatchObject({ error: { code: 'invalid_json' } })
  })

  it('stores a message with something nested very deep inside it, cut at the depth it can keep, and answers 200', async () => {
    const depth = 100_000
    const message = JSON.stringify(waText({ waId: '447400123125', id: 'wamid.deep', text: 'deep' }))
    // Valid JSON that JSON.parse reads, but whose re-serialization for storage would overflow the stack.
    const body = message.replace('"text":{"body":"deep"}', `"text":{"body":"deep"},"context":{"nested":${'['.repeat(depth)}${']'.repeat(depth)}}`)
    const res = await deliver(t, 'whatsapp', body)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ ok: true })
    const [row] = await t.deps.sql<{ text: string; raw: { context: { nested: unknown } } }[]>`select text, raw from messages where external_id = 'wamid.deep'`
    expect(row?.text).toBe('deep')
    expect(JSON.stringify(row?.raw.context.nested)).toContain('not stored')
  })

  it('answers 200 to shapes it does not understand, storing nothing', async () => {
    const before = await messageCount()
    const res = await deliver(t, 'whatsapp', { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'messages', value: { messages: [{ weird: true }] } }] }] })
    expect(res.status).toBe(200)
    expect(await messageCount()).toBe(before)
  })

  it('takes bodies up to 3 MB and refuses larger ones with 413', async () => {
    const padded = { ...waText({ waId: '447400123124', id: 'wamid.big', text: 'big' }), padding: 'x'.repeat(2_900_000) }
    expect((await deliver(t, 'whatsapp', padded)).status).toBe(200)
    const tooBig = { ...payload, padding: 'x'.repeat(3 * 1024 * 1024 + 1) }
    const res = await deliver(t, 'whatsapp', tooBig)
    expect(res.status).toBe(413)
  })

  it('limits failed signatures per client address, never valid deliveries', async () => {
    const limit = t.deps.config.limits.signatureFailuresPerMinute
    // Unique per run: with REDIS_URL the counters outlive the test process.
    const attacker = `attacker-${process.pid}-${Date.now()}`
    const statuses: number[] = []
    for (let i = 0; i <= limit; i++) statuses.push((await deliver(t, 'whatsapp', payload, { signature: null, client: attacker })).status)
    expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true)
    const limited = await deliver(t, 'whatsapp', payload, { signature: null, client: attacker })
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await deliver(t, 'whatsapp', payload, { client: attacker })).status).toBe(200)
    expect((await deliver(t, 'whatsapp', payload, { signature: null, client: `${attacker}-other` })).status).toBe(401)
  })
})

describe('unconfigured', () => {
  it('answers 503 to deliveries and 403 to the handshake without META_APP_SECRET / META_VERIFY_TOKEN', async () => {
    const bare = await startTestApp()
    try {
      const res = await deliver(bare, 'whatsapp', waText({ waId: '447400123123', id: 'wamid.x', text: 'x' }))
      expect(res.status).toBe(503)
      expect(await json(res)).toMatchObject({ error: { code: 'not_configured' } })
      expect((await bare.app.request('/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=&hub.challenge=1')).status).toBe(403)
    } finally {
      await bare.close()
    }
  })
})
