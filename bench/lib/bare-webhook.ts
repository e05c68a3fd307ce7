/** The baseline for bench/ingest.ts: a bare Hono route doing the same signature check and JSON parse, no storage. */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { verifyMetaSignature } from '../../gateway/signature.ts'

const secret = process.env.META_APP_SECRET ?? ''
const app = new Hono()
app.post('/webhooks/whatsapp', async (c) => {
  const body = new Uint8Array(await c.req.arrayBuffer())
  if (!(await verifyMetaSignature(secret, c.req.header('x-hub-signature-256'), body))) return c.json({ error: 'bad signature' }, 401)
  JSON.parse(new TextDecoder().decode(body))
  return c.json({ ok: true }, 200)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`Contact Gateway on http://127.0.0.1:${info.port} (bare baseline)`))
