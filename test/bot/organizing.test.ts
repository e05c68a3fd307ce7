import { afterAll, beforeAll, describe, expect, it } from 'vitest'
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
  await t.call('POST', '/v1/users', { name: 'Agent Tel', role: 'agent', telegramId: String(AGENT) })
})
afterAll(async () => {
  await t.close()
  await telegram.close()
})

async function ask(text: string, from = ADMIN): Promise<string> {
  const before = telegram.calls.length
  const res = await bot.deliver(command(text), from)
  expect(res.status).toBe(200)
  const reply = telegram.calls.slice(before).find((c) => c.method === 'sendMessage')
  return String(reply?.params.text)
}

describe('labels and lists from the bot', () => {
  it('/label and /unlabel give and take a label, in the contact’s history as the bot’s; agents only on what they may change', async () => {
    const ada = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Ada', email: 'bot-ada@example.com' }))
    expect(await ask(`/label ${ada.id} Big Fish`)).toBe('Ada now has labels: Big Fish.')
    expect(await ask(`/label ${ada.id} big fish`)).toBe('Nothing to change: Ada has labels: Big Fish.')
    expect(await ask(`/label ${ada.id} Trade`, AGENT)).toBe('Not changed: agents change the contacts they own or nobody owns.')
    const history = await json<{ items: { source: string; changes?: Record<string, unknown> }[] }>(await t.call('GET', `/v1/contacts/${ada.id}/history`))
    expect(history.items[0]).toMatchObject({ source: 'bot', changes: { labels: { from: null, to: ['Big Fish'] } } })
    expect(await ask(`/unlabel ${ada.id} BIG FISH`)).toBe('Ada now has no labels.')
    expect(await ask('/label nonsense')).toBe('Usage: /label <contactId> <label name>')
    expect(await ask('/label 0194e3a0-0000-7000-8000-000000000000 X')).toBe('No contact has that id.')
  })

  it('/lists and /reach say who of a list may get a template now, and why not the rest', async () => {
    const list = await json<{ id: string }>(await t.call('POST', '/v1/lists', { name: 'Autumn' }))
    const a = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { mobile: '+447400222001', preference: 'proactive' }))
    const b = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { mobile: '+447400222002' }))
    await t.call('POST', `/v1/lists/${list.id}/members`, { contactIds: [a.id, b.id] })
    expect(await ask('/lists')).toContain(`Autumn: 2 members · ${list.id}`)
    expect(await ask(`/reach ${list.id}`)).toBe('1 of 2 may get a whatsapp template now.\nNot the others:\n· 1: reactive (only answered within 24 hours of writing)')
    expect(await ask('/reach 0194e3a0-0000-7000-8000-000000000000')).toBe('No contact list has that id; see /lists.')
  })
})
