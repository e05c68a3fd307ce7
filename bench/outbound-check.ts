/**
 * The send decision: checkSend in-process (decisions/s), and POST /v1/outbound/check over HTTP on a real
 * PostgreSQL against a bare Hono route measured in the same run. Prints one JSON line.
 *   DATABASE_URL=postgres://… npm run bench:outbound [-- --seconds 15]
 */
import autocannon from 'autocannon'
import { checkSend, type ContactForSend, type SendChannel, type SendRequest } from '../domain/preference.ts'
import { openBenchDatabase } from './lib/bench-db.ts'
import { startServer } from './lib/child-server.ts'
import { rng } from './lib/fake-people.ts'
import { round } from './lib/stats.ts'

const args = process.argv.slice(2)
const SECONDS = Number(args[args.indexOf('--seconds') + 1] ?? '') || 15
const CONTACTS = 5000
const TOKEN = 'bench-admin-token-0123456789abcdef'

function inProcess(): number {
  const random = rng(1)
  const now = new Date('2026-11-23T12:00:00Z')
  const channels: SendChannel[] = ['whatsapp', 'instagram', 'messenger']
  const contacts: ContactForSend[] = Array.from({ length: 1024 }, () => ({
    active: random() > 0.05, preference: random() > 0.5 ? 'proactive' : 'reactive', hasMobile: random() > 0.1, missingCountryCode: random() > 0.95,
    marketingOptOut: random() > 0.9, identityChannels: channels.filter(() => random() > 0.3),
    lastInboundAt: Object.fromEntries(channels.filter(() => random() > 0.4).map((c) => [c, new Date(now.getTime() - random() * 10 * 86_400_000)])),
  }))
  const requests: SendRequest[] = Array.from({ length: 1024 }, () => ({ channel: channels[Math.floor(random() * 3)] as SendChannel, kind: random() > 0.5 ? 'text' : 'template', templateCategory: random() > 0.5 ? 'marketing' : 'utility', humanAgent: random() > 0.8 }))
  const rates: number[] = []
  let allowed = 0
  for (let run = 0; run < 5; run++) {
    const n = 2_000_000
    const started = performance.now()
    for (let i = 0; i < n; i++) if (checkSend(contacts[i & 1023] as ContactForSend, requests[(i * 7) & 1023] as SendRequest, now).allowed) allowed++
    rates.push(n / ((performance.now() - started) / 1000))
  }
  if (allowed === 0) throw new Error('no decision allowed anything: the inputs are wrong')
  return rates.sort((a, b) => a - b)[2] ?? 0
}

async function load(url: string, ids: string[], seconds: number) {
  let i = 0
  const channels = ['whatsapp', 'messenger', 'instagram']
  const result = await autocannon({
    url: `${url}/v1/outbound/check`, method: 'POST', connections: 50, duration: seconds,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, body: JSON.stringify({ contactId: ids[i++ % ids.length], channel: channels[i % 3], kind: i % 2 === 0 ? 'text' : 'template' }) }) }],
  })
  return { requestsPerSecond: round(result.requests.average, 0), p50: result.latency.p50, p99: result.latency.p99, non2xx: result.non2xx, errors: result.errors }
}

async function main() {
  const decisionsPerSecond = inProcess()
  const { db, url: databaseUrl } = await openBenchDatabase('cg_bench_outbound', true)
  await db.sql`
    insert into contacts (id, name, mobile, preference, source, created_at, updated_at)
    select gen_random_uuid(), 'Bench ' || n, '+4474' || lpad(n::text, 8, '0'), case when n % 2 = 0 then 'proactive' else 'reactive' end, 'incoming', now(), now()
    from generate_series(1, ${CONTACTS}) as n`
  await db.sql`insert into identities (channel, external_id, contact_id) select 'whatsapp', substr(mobile, 2), id from contacts`
  await db.sql`insert into contact_channels (contact_id, channel, last_inbound_at, last_inbound_account)
               select id, 'whatsapp', now() - (random() * interval '3 days'), 'PNID_BENCH' from contacts`
  await db.sql`analyze`
  const ids = (await db.sql<{ id: string }[]>`select id from contacts order by random()`).map((r) => r.id)
  await db.close()

  const gateway = await startServer('gateway/entry/node.ts', { DATABASE_URL: databaseUrl, PORT: '0', LOG_LEVEL: 'warn', ADMIN_API_TOKEN: TOKEN, ADMIN_RATE_LIMIT_PER_MINUTE: '100000000' })
  const bare = await startServer('bench/lib/bare-webhook.ts', {})
  try {
    await load(bare.url, ids, 3)
    await load(gateway.url, ids, 3)
    const baseline = await load(bare.url, ids, Math.max(5, Math.round(SECONDS / 2)))
    const check = await load(gateway.url, ids, SECONDS)
    console.log(JSON.stringify({
      bench: 'outbound-check', decisionsPerSecond: Math.round(decisionsPerSecond), http: check, bareRoute: baseline,
      ratio: round(check.requestsPerSecond / baseline.requestsPerSecond, 3),
    }))
  } finally {
    await gateway.stop()
    await bare.stop()
  }
}

await main()
