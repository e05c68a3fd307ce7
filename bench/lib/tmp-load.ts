import autocannon from 'autocannon'
import postgres from 'postgres'
import { startServer } from './child-server.ts'
const url = 'postgres://postgres@127.0.0.1:55432/cg_bench_outbound'
const sql = postgres(url)
const ids = (await sql<{ id: string }[]>`select id from contacts order by random()`).map((r) => r.id)
await sql.end()
const TOKEN = 'bench-admin-token-0123456789abcdef'
const gateway = await startServer('gateway/entry/node.ts', { DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: TOKEN, ADMIN_RATE_LIMIT_PER_MINUTE: '100000000', TMP_INFLIGHT: process.env.TMP_INFLIGHT ?? '2', ...(process.env.TMP_NODB ? { TMP_NODB: '1' } : {}), ...(process.env.TMP_BARE ? { TMP_BARE: '1' } : {}) })
let i = 0
const channels = ['whatsapp', 'messenger', 'instagram']
const r = await autocannon({
  url: `${gateway.url}/v1/outbound/check`, method: 'POST', connections: 50, duration: Number(process.argv[2] ?? 8),
  headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
  requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: JSON.stringify({ contactId: ids[i++ % ids.length], channel: channels[i % 3], kind: i % 2 === 0 ? 'text' : 'template' }) }) }],
})
console.log(r.requests.average, r.latency.p99, r.non2xx)
await gateway.stop()
