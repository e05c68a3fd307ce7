import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { createApp } from '../../gateway/app.ts'
import { buildDeps } from '../../gateway/connect.ts'
import { json, type TestApp } from '../helpers/app.ts'
import { botClient, command, startBotTestApp } from '../helpers/bot.ts'
import type { startFakeTelegram } from '../helpers/fake-telegram.ts'

const ADMIN = 4004
const AGENT = 5005

let t: TestApp
let telegram: Awaited<ReturnType<typeof startFakeTelegram>>
let bot: ReturnType<typeof botClient>

beforeAll(async () => {
  ;({ t, telegram, bot } = await startBotTestApp(ADMIN))
  await t.call('POST', '/v1/users', { name: 'Agent Merge', role: 'agent', telegramId: String(AGENT) })
})
afterAll(async () => {
  await t.close()
  await telegram.close()
})

async function replyTo(send: () => Promise<Response>) {
  const before = telegram.calls.length
  expect((await send()).status).toBe(200)
  return telegram.calls.slice(before)
}

async function ask(text: string, from = ADMIN) {
  const calls = await replyTo(() => bot.deliver(command(text), from))
  const reply = calls.find((c) => c.method === 'sendMessage')
  return { text: String(reply?.params.text), markup: reply?.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] } | string | undefined }
}

function buttons(markup: unknown): { text: string; callback_data: string }[] {
  const parsed = (typeof markup === 'string' ? JSON.parse(markup) : markup) as { inline_keyboard: { text: string; callback_data: string }[][] }
  return parsed.inline_keyboard.flat()
}

describe('/dupes, /merge and /undo', () => {
  it('lists likely duplicates, merges only after the asker confirms, and undoes', async () => {
    const a = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Lena Fox', company: 'Foxworks', email: 'lena@foxworks.example' }))
    const b = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Lena Fox', company: 'Foxworks', mobile: '07400 333444' }))
    const dupes = await ask('/dupes')
    expect(dupes.text).toContain('Same name at the same company.')
    expect(dupes.text).toContain(`/merge ${[a.id, b.id].sort().join(' ')}`)

    const preview = await ask(`/merge ${a.id} ${b.id}`)
    expect(preview.text).toContain('Merge 1 contact into Lena Fox · lena@foxworks.example · Foxworks?')
    expect(preview.text).toContain('Lena Fox · +447400333444 · lena@foxworks.example · Foxworks')
    const [merge, cancel] = buttons(preview.markup)
    expect([merge?.text, cancel?.text]).toEqual(['Merge', 'Cancel'])
    expect((await json<{ active: boolean }>(await t.call('GET', `/v1/contacts/${b.id}`))).active).toBe(true)

    // Someone else pressing the button changes nothing.
    const stranger = await replyTo(() => bot.press(merge?.callback_data ?? '', AGENT))
    expect(stranger.find((c) => c.method === 'answerCallbackQuery')?.params.text).toContain('no longer pending')
    expect((await t.call('GET', `/v1/contacts/${b.id}`)).status).toBe(200)

    const pressed = await replyTo(() => bot.press(merge?.callback_data ?? '', ADMIN))
    const done = String(pressed.find((c) => c.method === 'sendMessage')?.params.text)
    expect(done).toContain('Merged into Lena Fox · +447400333444 · lena@foxworks.example · Foxworks.')
    expect((await t.call('GET', `/v1/contacts/${b.id}`)).status).toBe(404)
    const mergeId = /\/undo (\S+)/.exec(done)?.[1] ?? ''

    const again = await replyTo(() => bot.press(merge?.callback_data ?? '', ADMIN))
    expect(again.find((c) => c.method === 'answerCallbackQuery')?.params.text).toContain('no longer pending')

    expect((await ask(`/undo ${mergeId}`)).text).toBe('Undone: Lena Fox · lena@foxworks.example · Foxworks and 1 contact are separate again.')
    expect((await t.call('GET', `/v1/contacts/${b.id}`)).status).toBe(200)
    expect((await ask(`/undo ${mergeId}`)).text).toContain('Not done: This merge was undone already')
  })

  it('cancels, and explains bad input', async () => {
    const a = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Cam One', email: 'cam1@example.com' }))
    const b = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Cam Two', email: 'cam2@example.com' }))
    const preview = await ask(`/merge ${a.id} ${b.id}`)
    const [, cancel] = buttons(preview.markup)
    const cancelled = await replyTo(() => bot.press(cancel?.callback_data ?? '', ADMIN))
    expect(cancelled.find((c) => c.method === 'sendMessage')?.params.text).toBe('Nothing merged.')
    expect((await t.call('GET', `/v1/contacts/${b.id}`)).status).toBe(200)
    expect((await ask('/merge nonsense')).text).toContain('Usage: /merge')
    expect((await ask(`/merge ${a.id} ${a.id}`)).text).toBe('Not merged: the primary contact cannot also be a duplicate.')
    expect((await ask(`/merge ${a.id} 01900000-0000-7000-8000-000000000123`)).text).toContain('no active contact has the id 01900000-0000-7000-8000-000000000123')
    expect((await ask('/undo 01900000-0000-7000-8000-000000000123')).text).toBe('Not done: No such merge.')
  })

  it('/dupes stays within Telegram’s message size however many groups there are', async () => {
    for (let i = 0; i < 12; i++) {
      for (const n of [1, 2]) await t.call('POST', '/v1/contacts', { name: `Long Named Person Number ${i} Of Many Similar Records In This Book`, email: `duplicate-record-${i}-${n}@a-rather-long-domain.example.com`, company: `Company ${i} With A Rather Long Name, Incorporated Limited` })
    }
    const dupes = await ask('/dupes')
    expect(dupes.text.length).toBeLessThanOrEqual(4096)
    expect(dupes.text).toContain('The first contact of a /merge is kept')
  })

  it('confirms a merge pressed on another gateway process, or after a restart, until it expires', async () => {
    const a = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Pia Far', email: 'pia@example.com' }))
    const b = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Pia Far', mobile: '07400 333555' }))
    const c = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Pia Far', mobile: '07400 333556' }))
    const [first] = buttons((await ask(`/merge ${a.id} ${b.id}`)).markup)
    const [late] = buttons((await ask(`/merge ${a.id} ${c.id}`)).markup)

    // Another process on the same database (or this one restarted): its own deps, bot and memory.
    const other = buildDeps(t.deps.config, t.db.sql, { databaseKind: t.db.kind, logger: pino({ level: 'silent' }) })
    const otherBot = botClient({ ...t, app: createApp(other.deps), deps: other.deps }, 1_000_000)
    try {
      const pressed = await replyTo(() => otherBot.press(first?.callback_data ?? '', ADMIN))
      expect(String(pressed.find((m) => m.method === 'sendMessage')?.params.text)).toContain('Merged into Pia Far')
      expect((await t.call('GET', `/v1/contacts/${b.id}`)).status).toBe(404)

      const tenMinutesOn = new Date(Date.now() + 10 * 60_000 + 1000)
      other.deps.now = () => tenMinutesOn
      const expired = await replyTo(() => otherBot.press(late?.callback_data ?? '', ADMIN))
      expect(expired.find((m) => m.method === 'answerCallbackQuery')?.params.text).toContain('no longer pending')
      expect((await t.call('GET', `/v1/contacts/${c.id}`)).status).toBe(200)
    } finally {
      await other.close()
    }
  })
})
