import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { createApp } from '../../gateway/app.ts'
import { buildDeps } from '../../gateway/connect.ts'
import { json } from '../helpers/app.ts'
import { BOT_SECRET, command, startBotTestApp, updateHandled } from '../helpers/bot.ts'

const ADMIN = 8008

let env: Awaited<ReturnType<typeof startBotTestApp>>
beforeAll(async () => {
  env = await startBotTestApp(ADMIN)
})
afterAll(() => env.close())

function post(body: string, secret: string | null = BOT_SECRET, app = env.t.app): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret
  return Promise.resolve(app.request('/telegram/webhook', { method: 'POST', headers, body }))
}

describe('POST /telegram/webhook', () => {
  it('answers 400 invalid_json to a body with the right secret that is not JSON', async () => {
    for (const body of ['{"update_id": 1, ', 'not json at all', '']) {
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(await json(res)).toMatchObject({ error: { code: 'invalid_json' } })
    }
    expect((await post('{"update_id": ')).status).toBe(400)
    expect((await post('not json', 'wrong-secret')).status).toBe(401)
  })

  it('handles an update Telegram delivers twice once, in this process or another one on the same database', async () => {
    const { t, telegram } = env
    telegram.addFile('twice', 'Name,Mobile\nTwice,+447400990001\n')
    const update = JSON.stringify({
      update_id: 70001,
      message: { message_id: 70001, date: 1_700_000_000, chat: { id: ADMIN, type: 'private' }, from: { id: ADMIN, is_bot: false, first_name: 'Admin' },
                 document: { file_id: 'twice', file_unique_id: 'tw', file_name: 'twice.csv', mime_type: 'text/csv', file_size: 33 } },
    })
    // Another gateway process: its own deps and bot, the same database.
    const other = buildDeps(t.deps.config, t.db.sql, { databaseKind: t.db.kind, logger: pino({ level: 'silent' }) })
    const otherApp = createApp(other.deps)
    try {
      expect((await post(update)).status).toBe(200)
      expect((await post(update)).status).toBe(200)
      expect((await post(update, BOT_SECRET, otherApp)).status).toBe(200)
      await expect.poll(async () => (await json<{ status: string }[]>(await t.call('GET', '/v1/imports'))).map((i) => i.status)).toEqual(['completed'])
      expect(telegram.sent(ADMIN).filter((text) => text.startsWith('Importing twice.csv'))).toHaveLength(1)
      // Every kind of update: a button pressed twice is answered once too.
      const press = JSON.stringify({ update_id: 70002, callback_query: { id: 'cb70002', from: { id: ADMIN, is_bot: false, first_name: 'Admin' }, chat_instance: 'ci', data: 'cancel:none' } })
      const before = telegram.calls.filter((c) => c.method === 'answerCallbackQuery').length
      expect((await post(press)).status).toBe(200)
      await updateHandled(t, 70002)
      expect((await post(press, BOT_SECRET, otherApp)).status).toBe(200)
      expect(telegram.calls.filter((c) => c.method === 'answerCallbackQuery').length - before).toBe(1)
    } finally {
      await other.close()
    }
  })

  it('answers within 2 s while the Bot API holds every connection, and the reply goes out once it answers', async () => {
    const { t, telegram, bot } = env
    const release = telegram.hold()
    try {
      const started = performance.now()
      const res = await post(JSON.stringify({ update_id: 70010, message: { message_id: 70010, date: 1_700_000_000, chat: { id: ADMIN, type: 'private' }, from: { id: ADMIN, is_bot: false, first_name: 'Admin' }, ...command('/help') } }))
      expect(res.status).toBe(200)
      expect(performance.now() - started).toBeLessThan(2000)
      await expect.poll(() => telegram.held(), { timeout: 10_000 }).toBeGreaterThan(0)
      expect(telegram.sent(ADMIN).filter((text) => text.startsWith('Contact Gateway admin bot'))).toHaveLength(0)
    } finally {
      release()
    }
    await expect.poll(() => telegram.sent(ADMIN).filter((text) => text.startsWith('Contact Gateway admin bot')).length, { timeout: 10_000 }).toBe(1)
    void bot
    void t
  })

  it('sends again, from a job, a reply the Bot API refused, and sends it once', async () => {
    const { t, telegram } = env
    // Only this reply: another test's reply arriving meanwhile must not use up the refusals.
    telegram.refuse('sendMessage', 2, (params) => String(params.text).includes('nobody-at-all'))
    expect((await post(JSON.stringify({ update_id: 70020, message: { message_id: 70020, date: 1_700_000_000, chat: { id: ADMIN, type: 'private' }, from: { id: ADMIN, is_bot: false, first_name: 'Admin' }, ...command('/find nobody-at-all') } }))).status).toBe(200)
    await updateHandled(t, 70020)
    await expect.poll(() => telegram.sent(ADMIN).filter((text) => text.includes('nobody-at-all')).length, { timeout: 15_000 }).toBe(1)
    // Marked completed a moment after Telegram took it.
    await expect.poll(async () => (await json<{ items: { kind: string; status: string; attempts: number }[] }>(await t.call('GET', '/v1/jobs?kind=bot-reply'))).items, { timeout: 10_000 })
      .toEqual([expect.objectContaining({ kind: 'bot-reply', status: 'completed', attempts: 2 })])
  })
})
