import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, json } from '../helpers/app.ts'
import { command, startBotTestApp } from '../helpers/bot.ts'

// Ids are UUIDs, which are case-insensitive: an id written in upper case names the same row everywhere.
const ADMIN = 7007

let env: Awaited<ReturnType<typeof startBotTestApp>>
beforeAll(async () => {
  env = await startBotTestApp(ADMIN)
})
afterAll(() => env.close())

const upper = (id: string) => id.toUpperCase()

async function newContact(body: Record<string, unknown>): Promise<string> {
  const res = await env.t.call('POST', '/v1/contacts', body)
  expect(res.status).toBe(201)
  return (await json<{ id: string }>(res)).id
}

async function botSays(text: string): Promise<string> {
  const before = env.telegram.calls.length
  expect((await env.bot.deliver(command(text), ADMIN)).status).toBe(200)
  return env.telegram.calls.slice(before).filter((c) => c.method === 'sendMessage').map((c) => String(c.params.text)).join('\n')
}

describe('an id in upper case', () => {
  it('names the same contact, merge, user and import on every route', async () => {
    const id = await newContact({ name: 'Case Sensitive', mobile: '+447400700001' })
    expect((await env.t.call('GET', `/v1/contacts/${upper(id)}`)).status).toBe(200)
    expect((await env.t.call('GET', `/v1/contacts/${upper(id)}/messages`)).status).toBe(200)
    const patched = await env.t.call('PATCH', `/v1/contacts/${upper(id)}`, { company: 'Upper Ltd' })
    expect(patched.status).toBe(200)
    expect((await json<{ id: string }>(patched)).id).toBe(id)

    const check = await env.t.call('POST', '/v1/outbound/check', { contactId: upper(id), channel: 'whatsapp', kind: 'template' })
    expect(check.status).toBe(200)

    const dup = await newContact({ name: 'Case Sensitive', email: 'case@example.com' })
    // The primary listed again among the duplicates, in another case, is the same contact.
    const self = await env.t.call('POST', '/v1/contacts/merge', { primaryId: upper(id), duplicateIds: [id] })
    expect(self.status).toBe(422)
    const merged = await env.t.call('POST', '/v1/contacts/merge', { primaryId: upper(id), duplicateIds: [upper(dup)] })
    expect(merged.status).toBe(200)
    const { mergeId } = await json<{ mergeId: string }>(merged)
    expect((await env.t.call('POST', `/v1/merges/${upper(mergeId)}/undo`)).status).toBe(200)

    const user = await json<{ id: string }>(await env.t.call('POST', '/v1/users', { name: 'Upper Agent', role: 'agent' }))
    expect((await env.t.call('PATCH', `/v1/users/${upper(user.id)}`, { name: 'Upper Agent Two' })).status).toBe(200)

    const imported = await env.t.app.request('/v1/imports', {
      method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' }, body: 'name,mobile\nBad,12\n',
    })
    expect(imported.status).toBe(202)
    const importId = (await json<{ id: string }>(imported)).id
    await expect.poll(async () => (await json<{ status: string }>(await env.t.call('GET', `/v1/imports/${upper(importId)}`))).status).toBe('completed')
    const failures = await env.t.call('GET', `/v1/imports/${upper(importId)}/failures`)
    expect(await json<unknown[]>(failures)).toHaveLength(1)

    expect((await env.t.call('DELETE', `/v1/contacts/${upper(dup)}`)).status).toBe(204)
  })

  it('names the same contact, merge and import in the bot', async () => {
    const id = await newContact({ name: 'Bot Upper', mobile: '+447400700002' })
    const other = await newContact({ name: 'Bot Upper', email: 'bot-upper@example.com' })
    expect(await botSays(`/contact ${upper(id)}`)).toContain(`id: ${id}`)
    expect(await botSays(`/pref ${upper(id)} proactive`)).toContain('is now proactive')
    const me = await json<{ id: string }>(await env.t.call('GET', '/v1/me'))
    expect(await botSays(`/owner ${upper(id)} ${upper(me.id)}`)).toContain(`is now owned by ${me.id}`)
    expect(await botSays(`/check ${upper(id)} whatsapp`)).toContain('whatsapp template')
    expect(await botSays(`/merge ${upper(id)} ${upper(other)}`)).toContain('Merge 1 contact into')
    expect(await botSays(`/merge ${upper(id)} ${id}`)).toContain('Not merged')
  })
})
