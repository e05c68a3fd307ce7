/**
 * Webhook ingest, as issue 18 measures it, against the Node gateway on a real PostgreSQL (WORKERS=on):
 *  1. acknowledged deliveries per second and latency at 50 connections, against a durable floor measured in the
 *     same run (bench/lib/durable-floor.ts: signature, JSON parse, the raw body committed in batched inserts);
 *  2. processing: from the start of that load until the inbox is empty, deliveries applied per second (ratio to
 *     the floor), and the exact counts (one message per delivery, one contact per sender);
 *  3. lag at a steady 1,000 deliveries/s: from a delivery's sending to its message's row, p50 and p99.
 * Half the deliveries come from new senders, half from 2,000 returning ones. Prints one JSON line.
 *   DATABASE_URL=postgres://… npm run bench:ingest [-- --seconds 20]
 */
import { createHmac } from 'node:crypto'
import autocannon from 'autocannon'
import { openBenchDatabase } from './lib/bench-db.ts'
import { startServer } from './lib/child-server.ts'
import { percentile, round } from './lib/stats.ts'

const args = process.argv.slice(2)
const SECONDS = Number(args[args.indexOf('--seconds') + 1] ?? '') || 20
const CONNECTIONS = 50
const STEADY_RATE = 1000
const STEADY_SECONDS = 10
const SECRET = 'bench-meta-app-secret'
const RETURNING = 2000

const runId = Date.now().toString(36)
let sequence = 0

function delivery(waId: string): { body: string; headers: Record<string, string> } {
  const n = sequence++
  // The text carries the moment it was sent, from which the lag is read off the stored message.
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA', changes: [{ field: 'messages', value: {
      messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: 'PNID_BENCH' },
      contacts: [{ profile: { name: `Sender ${waId.slice(-6)}` }, wa_id: waId }],
      messages: [{ from: waId, id: `wamid.${runId}.${n}`, timestamp: String(1_763_900_000 + n), type: 'text', text: { body: `sent ${Date.now()}` } }],
    } }] }],
  })
  return { body, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` } }
}

const returningIds = Array.from({ length: RETURNING }, (_, i) => `4474009${String(i).padStart(5, '0')}`)
let newSenders = 0
function nextSender(): string {
  if (sequence % 2 === 0) return `4915${String(10_000_000 + newSenders++).padStart(8, '0')}`
  return returningIds[sequence % RETURNING] as string
}

async function load(url: string, seconds: number, rate?: number) {
  const result = await autocannon({
    url: `${url}/webhooks/whatsapp`, method: 'POST', connections: CONNECTIONS, duration: seconds, ...(rate === undefined ? {} : { overallRate: rate }),
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...delivery(nextSender()) }) }],
  })
  return {
    requestsPerSecond: round(result.requests.average, 0), acknowledged: result['2xx'], p50: result.latency.p50, p99: result.latency.p99,
    non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
  }
}

async function main() {
  const { db, url: databaseUrl } = await openBenchDatabase('cg_bench_ingest', true)
  const { sql } = db
  const gatewayEnv = { DATABASE_URL: databaseUrl, META_APP_SECRET: SECRET, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: 'bench-admin-token-0123456789abcdef' }
  // Answering alone (WORKERS=off) first, so that what the answers cost and what applying costs are seen apart.
  const answering = await startServer('gateway/entry/node.ts', { ...gatewayEnv, WORKERS: 'off' })
  const floor = await startServer('bench/lib/durable-floor.ts', { META_APP_SECRET: SECRET, DATABASE_URL: databaseUrl })
  const drained = async () => {
    for (;;) {
      const [row] = await sql<{ waiting: number }[]>`select count(*)::int as waiting from inbox where dead_at is null`
      if (row?.waiting === 0) return
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }
  let gateway: Awaited<ReturnType<typeof startServer>> | null = null
  try {
    await load(floor.url, 3) // warm both JITs and pools
    const durableFloor = await load(floor.url, SECONDS)
    await load(answering.url, 3)
    const answerOnly = await load(answering.url, SECONDS)
    await answering.stop()
    const drainStartedAt = new Date()
    gateway = await startServer('gateway/entry/node.ts', { ...gatewayEnv, WORKERS: 'on' })
    await drained()
    // From the first message written to the last: the process's start-up is not the drain's.
    const [drain] = await sql<{ n: number; seconds: number }[]>`
      select count(*)::int as n, extract(epoch from max(created_at) - min(created_at))::float8 as seconds from messages where created_at >= ${drainStartedAt}`
    const drainOnly = { deliveries: drain?.n ?? 0, perSecond: round((drain?.n ?? 0) / Math.max(0.001, drain?.seconds ?? 0), 0) }

    // The returning senders write once before the clock starts.
    const running = gateway
    for (let i = 0; i < RETURNING; i += 50) {
      await Promise.all(returningIds.slice(i, i + 50).map(async (id) => {
        const d = delivery(id)
        const res = await fetch(`${running.url}/webhooks/whatsapp`, { method: 'POST', headers: d.headers, body: d.body })
        if (res.status !== 200) throw new Error(`warm-up answered ${res.status}`)
      }))
    }
    await drained()

    const [before] = await sql<{ messages: number; contacts: number }[]>`select (select count(*)::int from messages) as messages, (select count(*)::int from contacts) as contacts`
    const loadStartedAt = new Date()
    const started = performance.now()
    const ingest = await load(gateway.url, SECONDS)
    const acknowledgedAt = performance.now()
    await drained()
    const processedAt = performance.now()
    const [after] = await sql<{ messages: number; contacts: number }[]>`select (select count(*)::int from messages) as messages, (select count(*)::int from contacts) as contacts`
    const stored = (after?.messages ?? 0) - (before?.messages ?? 0)
    // Exact: every delivery sent is one message (autocannon also sent the requests still in flight when it
    // stopped, so what it counts as answered is at most `connections` fewer), and every new sender one contact.
    const [sent] = await sql<{ deliveries: number }[]>`
      select count(*)::int as deliveries from messages m where m.external_id like ${`wamid.${runId}.%`} and m.created_at >= ${loadStartedAt}`
    const [newOnes] = await sql<{ n: number }[]>`
      select count(distinct i.contact_id)::int as n from identities i join messages m on m.contact_id = i.contact_id
      where i.external_id like '4915%' and m.external_id like ${`wamid.${runId}.%`} and m.created_at >= ${loadStartedAt}`
    const processingPerSecond = round(stored / ((processedAt - started) / 1000), 0)
    const [dead] = await sql<{ n: number }[]>`select count(*)::int as n from inbox where dead_at is not null`

    const steadyFrom = new Date()
    const steady = await load(gateway.url, STEADY_SECONDS, STEADY_RATE)
    await drained()
    const lags = (await sql<{ lag: number }[]>`
      select extract(epoch from m.created_at) * 1000 - substring(m.text from 6)::bigint as lag
      from messages m where m.created_at >= ${steadyFrom} and m.text like 'sent %'`).map((r) => Number(r.lag)).sort((a, b) => a - b)

    console.log(JSON.stringify({
      bench: 'ingest', connections: CONNECTIONS, seconds: SECONDS,
      gateway: ingest, durableFloor,
      acknowledgedRatio: round(ingest.requestsPerSecond / durableFloor.requestsPerSecond, 3),
      answeringOnly: { ...answerOnly, ratio: round(answerOnly.requestsPerSecond / durableFloor.requestsPerSecond, 3) },
      drainingOnly: { ...drainOnly, ratio: round(drainOnly.perSecond / durableFloor.requestsPerSecond, 3) },
      processing: {
        perSecond: processingPerSecond, ratioToFloor: round(processingPerSecond / durableFloor.requestsPerSecond, 3),
        drainSecondsAfterLoad: round((processedAt - acknowledgedAt) / 1000, 2),
        acknowledged: ingest.acknowledged, messagesStored: stored, inFlightAtEnd: stored - ingest.acknowledged,
        exact: stored === sent?.deliveries && stored - ingest.acknowledged <= CONNECTIONS && (after?.contacts ?? 0) - (before?.contacts ?? 0) === newOnes?.n,
        newContacts: (after?.contacts ?? 0) - (before?.contacts ?? 0), newSenderContacts: newOnes?.n ?? 0, dead: dead?.n ?? 0,
      },
      steady: { rate: STEADY_RATE, seconds: STEADY_SECONDS, acknowledged: steady.acknowledged, p99: steady.p99, lagMs: { p50: round(percentile(lags, 50), 0), p99: round(percentile(lags, 99), 0), samples: lags.length } },
    }))
  } finally {
    await gateway?.stop()
    await floor.stop()
    await db.close()
  }
}

await main()
