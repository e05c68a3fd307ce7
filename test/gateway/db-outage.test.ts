import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp, type App } from '../../gateway/app.ts'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import { openDatabase, probeDatabase, type Database } from '../../storage/db.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'
import { APP_SECRET, sign, waText } from '../helpers/meta.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'

// While the database is unreachable every request answers 503 within 2 s, however many arrive together, and
// the gateway serves again as soon as it is back.
const TOKEN = 'outage-admin-token-0123456789'
const CONCURRENT = 20

let db: Database
let proxied: Database
let proxy: Awaited<ReturnType<typeof startTcpProxy>>
let app: App
let closeDeps: () => Promise<void>
let contactId: string
beforeAll(async () => {
  db = await openTestDatabase()
  // The embedded server takes one connection: hand it over to the pool that goes through the proxy.
  if (!usingServer()) await db.sql.end()
  const target = new URL(db.url)
  proxy = await startTcpProxy(target.hostname, Number(target.port))
  target.port = String(proxy.port)
  // The options the gateway opens its database with, pool size included (the embedded database has one session).
  proxied = await openDatabase({ url: target.toString(), dataDir: 'unused', poolSize: usingServer() ? 10 : 1 })
  const config = parseConfig({ META_APP_SECRET: APP_SECRET, ADMIN_API_TOKEN: TOKEN, ADMIN_RATE_LIMIT_PER_MINUTE: '1000000' })
  const proxiedUrl = target.toString()
  const built = buildDeps(config, proxied.sql, { databaseKind: 'postgres', logger: pino({ level: 'silent' }), probeOwnConnection: () => probeDatabase(proxiedUrl) })
  closeDeps = built.close
  await ensureBootstrapAdmin(built.deps)
  app = createApp(built.deps)
  const created = await call('POST', '/v1/contacts', { name: 'Outage Probe', mobile: '+447400600100' })
  contactId = ((await created.json()) as { id: string }).id
})
afterAll(async () => {
  await closeDeps()
  await proxied.close()
  await proxy.close()
  await db.close()
})

function call(method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }))
}

function delivery(n: string): () => Promise<Response> {
  const body = JSON.stringify(waText({ waId: `4474006${n.padStart(5, '0')}`, id: `wamid.outage.${n}`, text: 'anyone there?' }))
  return () => Promise.resolve(app.request('/webhooks/whatsapp', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body }))
}

/** Half webhook deliveries, half admin reads, all at once; each with its status and how long it took. */
async function wave(tag: string): Promise<{ status: number; ms: number }[]> {
  const requests = Array.from({ length: CONCURRENT }, (_, i) => (i % 2 === 0 ? delivery(`${tag}${i}`) : () => call('GET', `/v1/contacts/${contactId}`)))
  return Promise.all(requests.map(async (send) => {
    const at = performance.now()
    const res = await send()
    return { status: res.status, ms: Math.round(performance.now() - at) }
  }))
}

async function outage(kind: 'refused' | 'blackhole' | 'frozen', tag: string) {
  expect((await wave(`${tag}0`)).map((r) => r.status)).toEqual(Array(CONCURRENT).fill(200))
  await (kind === 'refused' ? proxy.cut() : kind === 'blackhole' ? proxy.blackhole() : proxy.freeze())
  const first = await wave(`${tag}1`)
  const second = await wave(`${tag}2`)
  const health = await app.request('/healthz')
  await proxy.restore()
  const restored = performance.now()
  await expect.poll(async () => (await call('GET', `/v1/contacts/${contactId}`)).status, { interval: 20, timeout: 10_000 }).toBe(200)
  const recoveryMs = Math.round(performance.now() - restored)
  const after = await wave(`${tag}1`)
  const figures = { kind, first: summary(first), second: summary(second), recoveryMs, after: summary(after) }
  console.log(JSON.stringify(figures))
  return { first, second, health, recoveryMs, after }
}

function summary(results: { status: number; ms: number }[]) {
  const statuses: Record<number, number> = {}
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1
  return { statuses, maxMs: Math.max(...results.map((r) => r.ms)) }
}

// 'frozen': open connections go silent, as when the network drops them without a word: a query is never answered
// and no error ever comes. The request waiting on it is ended by the circuit's check on a connection of its own.
describe('requests while the database is unreachable', () => {
  it.each([['refused', 'r', 2000], ['blackhole', 'b', 2000], ['frozen', 'f', 5000]] as const)('answer 503 (within the limit) when connections are %s, and serve again once it is back', async (kind, tag, limitMs) => {
    const { first, second, health, recoveryMs, after } = await outage(kind, tag)
    for (const r of [...first, ...second]) {
      expect(r.status).toBe(503)
      expect(r.ms).toBeLessThan(limitMs)
    }
    expect(health.status).toBe(503)
    expect(recoveryMs).toBeLessThan(2000)
    // Meta's redeliveries of the deliveries refused during the outage are stored now.
    expect(after.map((r) => r.status)).toEqual(Array(CONCURRENT).fill(200))
  }, 60_000)
})
