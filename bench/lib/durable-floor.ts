/**
 * The durable floor for bench/ingest.ts: the least a webhook must do before it may answer 200 and still lose
 * nothing. It checks the signature, parses the JSON and commits the raw body to a table, deliveries that arrive
 * in the same turn of the event loop in one insert (synchronous commit): no framework middleware, no batching
 * library, no processing.
 */
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import postgres from 'postgres'
import { verifyMetaSignature } from '../../gateway/http/signature.ts'

const secret = process.env.META_APP_SECRET ?? ''
const sql = postgres(process.env.DATABASE_URL ?? '', { max: 10, onnotice: () => {} })
await sql`create table if not exists floor_inbox (id bigint generated always as identity primary key, channel text not null, body text not null, received_at timestamptz not null)`

let waiting: { body: string; done: (error?: unknown) => void }[] = []
function store(body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (waiting.length === 0) {
      setImmediate(() => {
        const batch = waiting
        waiting = []
        sql`insert into floor_inbox (channel, body, received_at) select 'whatsapp', b, now() from unnest(${batch.map((w) => w.body)}::text[]) as b`
          .then(() => { for (const w of batch) w.done() }, (error: unknown) => { for (const w of batch) w.done(error) })
      })
    }
    waiting.push({ body, done: (error) => (error === undefined ? resolve() : reject(error)) })
  })
}

const app = new Hono()
app.post('/webhooks/whatsapp', async (c) => {
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (!(await verifyMetaSignature(secret, c.req.header('x-hub-signature-256'), bytes))) return c.json({ error: 'bad signature' }, 401)
  const text = new TextDecoder().decode(bytes)
  JSON.parse(text)
  await store(text)
  return c.json({ ok: true }, 200)
})
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log(`Contact Gateway on http://127.0.0.1:${info.port} (durable floor)`))
