/**
 * Webhook ingest throughput: signed WhatsApp deliveries (half from new senders, half from returning ones) against
 * the Node gateway on a real PostgreSQL, 50 connections, and in the same run a bare Hono route doing the same
 * signature check and JSON parse. Prints one JSON line.
 *   DATABASE_URL=postgres://… npm run bench:ingest [-- --seconds 20]
 */
import { createHmac } from 'node:crypto'
import autocannon from 'autocannon'
import { openBenchDatabase } from './lib/bench-db.ts'
import { startServer } from './lib/child-server.ts'
import { round } from './lib/stats.ts'

const args = process.argv.slice(2)
const SECONDS = Number(args[args.indexOf('--seconds') + 1] ?? '') || 20
const CONNECTIONS = 50
const SECRET = 'bench-meta-app-secret'
const RETURNING = 2000

const runId = Date.now().toString(36)
let sequence = 0

function delivery(waId: string): { body: string; headers: Record<string, string> } {
  const n = sequence++
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: 'PNID_BENCH' },
      contacts: [{ profile: { name: `Sender ${waId.slice(-6)}` }, wa_id: waId }],
      messages: [{ from: waId, id: `wamid.${runId}.${n}`, timestamp: String(1_763_900_000 + n), type: 'text', text: { body: `message ${n}` } }],
    } }] }],
  })
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } }
}

const returningIds = Array.from({ length: RETURNING }, (_, i) => `4474009${String(i).padStart(5, '0')}`)
let newSenders = 0
// BENCH_ALL_RETURNING=1 sends only returning senders, to tell the cost of new contacts from the rest.
function nextSender(): string {
  if (process.env.BENCH_ALL_RETURNING === undefined && sequence % 2 === 0) return `4915${String(10_000_000 + newSenders++).padStart(8, '0')}`
  return returningIds[sequence % RETURNING] as string
}

async function load(url: string, seconds: number) {
  const result = await autocannon({
    url: `${url}/webhooks/whatsapp`, method: 'POST', connections: CONNECTIONS, duration: seconds,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...delivery(nextSender()) }) }],
  })
  return { requestsPerSecond: round(result.requests.average, 0), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts }
}

async function main() {
  const { db, url: databaseUrl } = await openBenchDatabase('cg_bench_ingest', true)
  await db.close()
  const gateway = await startServer('gateway/entry/node.ts', { DATABASE_URL: databaseUrl, META_APP_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: 'bench-admin-token-0123456789abcdef' })
  const bare = await startServer('bench/lib/bare-webhook.ts', { META_APP_SECRET: SECRET })
  try {
    // The returning senders write once before the clock starts.
    for (let i = 0; i < RETURNING; i += 50) {
      await Promise.all(returningIds.slice(i, i + 50).map(async (id) => {
        const d = delivery(id)
        const res = await fetch(`${gateway.url}/webhooks/whatsapp`, { method: 'POST', headers: d.headers, body: d.body })
        if (res.status !== 200) throw new Error(`warm-up answered ${res.status}`)
      }))
    }
    await load(bare.url, 3) // warm both JITs
    const baseline = await load(bare.url, Math.max(5, Math.round(SECONDS / 2)))
    const ingest = await load(gateway.url, SECONDS)
    console.log(JSON.stringify({
      bench: 'ingest', connections: CONNECTIONS, seconds: SECONDS, gateway: ingest, bareRoute: baseline,
      ratio: round(ingest.requestsPerSecond / baseline.requestsPerSecond, 3),
    }))
  } finally {
    await gateway.stop()
    await bare.stop()
  }
}

await main()
