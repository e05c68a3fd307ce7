import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, type TestApp } from '../helpers/app.ts'
import { botClient, command, startBotTestApp } from '../helpers/bot.ts'
import type { startFakeTelegram } from '../helpers/fake-telegram.ts'

const ADMIN = 2002
const AGENT = 3003

let t: TestApp
let telegram: Awaited<ReturnType<typeof startFakeTelegram>>
let bot: ReturnType<typeof botClient>
let ada: { id: string }
let agentId: string

beforeAll(async () => {
  ;({ t, telegram, bot } = await startBotTestApp(ADMIN))
  ada = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Ada Lovelace', mobile: '07400 123456', email: 'ada@example.com', company: 'Engines' }))
  await t.call('POST', '/v1/contacts', { name: 'Ada Byron', email: 'byron@example.com' })
  agentId = (await json<{ id: string }>(await t.call('POST', '/v1/users', { name: 'Agent Tel', role: 'agent', telegramId: String(AGENT) }))).id
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

describe('contact commands', () => {
  it('/find searches like the API', async () => {
    const found = await ask('/find ada')
    expect(found).toContain('Ada Lovelace · +447400123456 · ada@example.com · Engines')
    expect(found).toContain('Ada Byron')
    expect(await ask('/find nobody-like-this')).toBe('No contact matches "nobody-like-this".')
  })

  it('/contact shows one contact by id or by phone in any format', async () => {
    const byPhone = await ask('/contact 07400 123456')
    expect(byPhone).toContain('Mobile: +447400123456')
    expect(byPhone).toContain(`id: ${ada.id}`)
    expect(await ask(`/contact ${ada.id}`)).toContain('Preference: reactive')
  })

  it('/pref and /owner change the contact, as PATCH does', async () => {
    expect(await ask(`/pref ${ada.id} proactive`)).toBe('Ada Lovelace is now proactive.')
    // An agent may not take a contact someone else owns; an admin hands it over, then the agent may change it.
    expect(await ask(`/owner ${ada.id} ${agentId}`, AGENT)).toMatch(/^Not changed: agents change the contacts they own/)
    expect(await ask(`/owner ${ada.id} ${agentId}`)).toBe(`Ada Lovelace is now owned by ${agentId}.`)
    expect(await ask(`/pref ${ada.id} proactive`, AGENT)).toBe('Ada Lovelace is now proactive.')
    const contact = await json<{ preference: string; ownerId: string }>(await t.call('GET', `/v1/contacts/${ada.id}`))
    expect(contact).toMatchObject({ preference: 'proactive', ownerId: agentId })
    expect(await ask(`/pref ${ada.id} sometimes`)).toBe('Usage: /pref <contactId> proactive|reactive')
    expect(await ask(`/owner ${ada.id} 00000000-0000-0000-0000-000000000000`)).toContain('Not changed: ownerId no active user has id')
  })

  it('/check answers with the same decision as POST /v1/outbound/check', async () => {
    const answer = await ask(`/check ${ada.id} whatsapp`)
    const api = await json<{ allowed: boolean; reason: string }>(await t.call('POST', '/v1/outbound/check', { contactId: ada.id, channel: 'whatsapp', kind: 'template' }))
    expect(answer).toContain(`whatsapp template: ${api.reason}`)
    expect(answer.split('\n')).toHaveLength(2)
    expect(await ask('/check 00000000-0000-0000-0000-000000000000')).toBe('No contact has that id.')
  })
})
