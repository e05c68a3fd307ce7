import postgres from 'postgres'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExecutionContext } from 'hono'
import { createBot } from '../../bot/bot.ts'
import { createApp } from '../../gateway/app.ts'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import worker from '../../gateway/entry/worker.ts'
import type { Database } from '../../storage/db.ts'
import { ADMIN_TOKEN } from '../helpers/app.ts'
import { BOT_SECRET, command } from '../helpers/bot.ts'
import { openTestDatabase } from '../helpers/db.ts'
import { BOT_TOKEN, startFakeTelegram } from '../helpers/fake-telegram.ts'

// What the Workers entry builds, counted: the config, the app and its bot, and each database connection.
vi.mock(import('postgres'), async (original) => {
  const real = (await original()).default
  return { default: Object.assign(vi.fn(real), real) }
})
vi.mock(import('../../gateway/config.ts'), async (original) => {
  const real = await original()
  return { ...real, parseConfig: vi.fn(real.parseConfig) }
})
vi.mock(import('../../gateway/app.ts'), async (original) => {
  const real = await original()
  return { ...real, createApp: vi.fn(real.createApp) }
})
vi.mock(import('../../bot/bot.ts'), async (original) => {
  const real = await original()
  return { ...real, createBot: vi.fn(real.createBot) }
})
// Wrangler bundles the console's script as text (wrangler.toml); Node would run it instead.
vi.mock('htmx.org/dist/htmx.min.js', () => ({ default: '' }))

const TELEGRAM_ADMIN = 7007
const EXPORTED = 1_050

let db: Database
let telegram: Awaited<ReturnType<typeof startFakeTelegram>>
let env: Record<string, string>
beforeAll(async () => {
  db = await openTestDatabase()
  telegram = await startFakeTelegram()
  env = {
    DATABASE_URL: db.url, ADMIN_API_TOKEN: ADMIN_TOKEN, LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot,
    TELEGRAM_WEBHOOK_SECRET: BOT_SECRET, TELEGRAM_ADMIN_IDS: String(TELEGRAM_ADMIN),
  }
  const built = buildDeps(parseConfig(env), db.sql, { databaseKind: db.kind, logger: pino({ level: 'silent' }) })
  await ensureBootstrapAdmin(built.deps)
  await built.close()
  // More contacts than one export batch (1,000): the later batches are read after the Worker has answered.
  await db.sql`
    insert into contacts (id, name, email, preference, source, created_at, updated_at)
    select gen_random_uuid(), 'Exported ' || n, 'exported' || n || '@example.com', 'reactive', 'manual', now(), now() from generate_series(1, ${EXPORTED}) as n`
  // The embedded server takes one connection at a time: the Worker's, from here on.
  await db.sql.end()
  vi.clearAllMocks()
})
afterAll(async () => {
  await telegram?.close()
  await db?.close()
})

/** One request as the Workers runtime hands it over, waiting for what the Worker leaves running after its answer. */
async function fetchOnce(path: string, init: RequestInit = {}): Promise<Response> {
  const pending: Promise<unknown>[] = []
  const ctx: ExecutionContext = { waitUntil: (p) => void pending.push(p), passThroughOnException: () => {}, props: {} }
  const res = await worker.fetch(new Request(`http://worker.test${path}`, init), env, ctx)
  const body = await res.arrayBuffer()
  await Promise.all(pending)
  return new Response(body, { status: res.status, headers: res.headers })
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }

function botUpdate(updateId: number, text: string): RequestInit {
  const message = { message_id: updateId, date: 1_700_000_000, chat: { id: TELEGRAM_ADMIN, type: 'private' }, from: { id: TELEGRAM_ADMIN, is_bot: false, first_name: 'Admin' }, ...command(text) }
  return { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BOT_SECRET }, body: JSON.stringify({ update_id: updateId, message }) }
}

describe('the Workers entry', () => {
  it('builds the config, the app and the bot once per isolate, and opens one connection per request', async () => {
    expect((await fetchOnce('/healthz')).status).toBe(200)
    const created = await fetchOnce('/v1/contacts', { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Isolate Person', email: 'isolate@example.com' }) })
    expect(created.status).toBe(201)
    const { id } = (await created.json()) as { id: string }
    expect((await fetchOnce(`/v1/contacts/${id}`, { headers: admin })).status).toBe(200)
    expect((await fetchOnce('/telegram/webhook', botUpdate(1, `/contact ${id}`))).status).toBe(200)
    expect((await fetchOnce('/telegram/webhook', botUpdate(2, '/find isolate'))).status).toBe(200)

    expect(vi.mocked(parseConfig)).toHaveBeenCalledTimes(1)
    expect(vi.mocked(createApp)).toHaveBeenCalledTimes(1)
    expect(vi.mocked(createBot)).toHaveBeenCalledTimes(1)
    // grammY asks Telegram who the bot is when it first handles an update; a bot built per request would ask each time.
    expect(telegram.calls.filter((c) => c.method === 'getMe')).toHaveLength(1)
    expect(vi.mocked(postgres).mock.calls.map(([url]) => url)).toEqual(Array(5).fill(db.url))
    // Each answer used the connection of its own request, which was ended after it.
    const sent = telegram.calls.filter((c) => c.method === 'sendMessage').map((c) => String(c.params.text))
    expect(sent).toEqual([expect.stringContaining('Isolate Person'), expect.stringContaining('Isolate Person')])
  })

  it('keeps the request’s connection open until its streamed CSV export has been read to the end', async () => {
    const res = await fetchOnce('/v1/contacts/export.csv?q=exported', { headers: admin })
    expect(res.status).toBe(200)
    expect(new Set((await res.text()).match(/exported\d+@example\.com/g)).size).toBe(EXPORTED)
  })
})
