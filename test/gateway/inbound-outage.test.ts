import postgres from 'postgres'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../gateway/app.ts'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import type { Database } from '../../storage/db.ts'
import { settleInbox } from '../helpers/app.ts'
import { openTestDatabase } from '../helpers/db.ts'
import { APP_SECRET, sign, waText } from '../helpers/meta.ts'
import { startTcpProxy } from '../helpers/tcp-proxy.ts'

let db: Database
let proxy: Awaited<ReturnType<typeof startTcpProxy>>
let sql: ReturnType<typeof postgres>
beforeAll(async () => {
  db = await openTestDatabase()
  // The embedded server takes one connection: hand it over to the pool that goes through the proxy.
  await db.sql.end()
  const target = new URL(db.url)
  proxy = await startTcpProxy(target.hostname, Number(target.port))
  target.port = String(proxy.port)
  sql = postgres(target.toString(), { max: 1, onnotice: () => {}, connect_timeout: 2 })
})
afterAll(async () => {
  await sql.end({ timeout: 1 })
  await proxy.close()
  await db.close()
})

describe('a webhook while the database is down', () => {
  it('answers 503 so Meta retries, and the redelivery stores exactly once', async () => {
    const config = parseConfig({ META_APP_SECRET: APP_SECRET, ADMIN_API_TOKEN: 'outage-admin-token-0123456789' })
    const { deps, close } = buildDeps(config, sql as unknown as Database['sql'], { logger: pino({ level: 'silent' }) })
    await ensureBootstrapAdmin(deps)
    const app = createApp(deps)
    const body = JSON.stringify(waText({ waId: '447400600001', name: 'Patient', id: 'wamid.outage1', text: 'are you there?' }))
    const send = () => app.request('/webhooks/whatsapp', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body })

    await proxy.cut()
    const down = await send()
    expect(down.status).toBe(503)
    expect(down.headers.get('retry-after')).not.toBeNull()
    expect((await app.request('/healthz')).status).toBe(503)

    await proxy.restore()
    for (let i = 0; i < 3; i++) expect((await send()).status).toBe(200)
    await settleInbox(deps)
    const [counts] = await sql<{ contacts: number; messages: number }[]>`
      select (select count(*)::int from identities where external_id = '447400600001') as contacts,
             (select count(*)::int from messages where external_id = 'wamid.outage1') as messages`
    expect(counts).toEqual({ contacts: 1, messages: 1 })
    await close()
  })
})
