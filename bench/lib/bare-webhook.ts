/**
 * Baselines for the HTTP benchmarks: bare Hono routes doing only what any handler must (the webhook's signature
 * check and JSON parse; the check's JSON parse and JSON answer), with no auth, validation or database.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { verifyMetaSignature } from '../../gateway/http/signature.ts'

const secret = process.env.META_APP_SECRET ?? ''
const app = new Hono()
app.post('/webhooks/whatsapp', async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer())
  if (!(await verifyMetaSignature(secret, c.req.header('x-hub-signature-256'), body))) return c.json({ error: 'bad signature' }, 401)
  JSON.parse(new TextDecoder().decode(body))
  return c.json({ ok: true }, 200)
})
app.post('/v1/outbound/check', async (c) => {
  const body = await c.req.json<{ contactId: string }>()
  return c.json({ allowed: body.contactId !== '', reason: 'inside_window', message: 'baseline' }, 200)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`Contact Gateway on http://127.0.0.1:${info.port} (bare baseline)`))
