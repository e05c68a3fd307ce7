import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver, json, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { importCsv, POLLING_ENV } from '../helpers/imports.ts'
import { waPayload, waText } from '../helpers/meta.ts'

type Entry = { at: string; kind: string; actorId: string | null; source: string; changes?: Record<string, { from: unknown; to: unknown }>; importId?: string; crm?: unknown }

let t: TestApp
let agent: { id: string; token: string }
beforeAll(async () => {
  t = await startTestApp({ ...META_ENV, ...POLLING_ENV })
  agent = await json(await t.call('POST', '/v1/users', { name: 'Hana Inbox', role: 'agent', inboxes: [{ channel: 'whatsapp', accountId: 'PNID_1' }] }))
})
afterAll(async () => t?.close())

const history = async (id: string) => (await json<{ items: Entry[] }>(await t.call('GET', `/v1/contacts/${id}/history`))).items
const idOf = async (q: string) => (await json<{ items: { id: string }[] }>(await t.call('GET', `/v1/contacts?q=${encodeURIComponent(q)}`))).items[0]?.id as string

async function ok(payload: unknown) {
  const res = await deliver(t, 'whatsapp', payload)
  expect(res.status, await res.clone().text()).toBe(200)
}

describe('every door writes the history', () => {
  it('an import: the creation with its import and importer, and update mode’s fills from → to', async () => {
    const first = await importCsv(t, 'name,email,company\nIda Import,ida@doors.example,\n')
    const id = await idOf('ida@doors.example')
    expect((await history(id)).at(-1)).toMatchObject({ kind: 'created', source: 'import', actorId: first.summary.ownerId, importId: first.summary.id })
    const second = await importCsv(t, 'name,email,company\nIda Import,ida@doors.example,Door Works\n', '?onDuplicate=update')
    expect((await history(id))[0]).toMatchObject({
      kind: 'updated', source: 'import', actorId: second.summary.ownerId, importId: second.summary.id, changes: { company: { from: null, to: 'Door Works' } },
    })
  })

  it('incoming messages: the creation with the agent who took the chat, a name filled, a marketing stop and a number change', async () => {
    const byFile = await importCsv(t, 'mobile\n+447400400001\n')
    expect(byFile.summary.imported).toBe(1)
    const known = await idOf('+447400400001')
    await ok(waText({ waId: '447400400001', name: 'Nia Named', id: 'wamid.hist-name', text: 'hello' }))
    expect((await history(known))[0]).toMatchObject({ kind: 'updated', source: 'incoming', actorId: null, changes: { name: { from: null, to: 'Nia Named' } } })

    await ok(waText({ waId: '447400400002', name: 'Neo New', id: 'wamid.hist-new', text: 'hi' }))
    const fresh = await idOf('+447400400002')
    expect((await history(fresh)).at(-1)).toMatchObject({ kind: 'created', source: 'incoming', actorId: agent.id })

    await t.call('PATCH', `/v1/contacts/${fresh}`, { preference: 'proactive' })
    await ok(waPayload('PNID_1', { contacts: [{ wa_id: '447400400002' }], user_preferences: [{ wa_id: '447400400002', detail: 'stop marketing', category: 'marketing_messages', value: 'stop', timestamp: 1763900500 }] }))
    expect((await history(fresh))[0]).toMatchObject({
      source: 'incoming', changes: { preference: { from: 'proactive', to: 'reactive' }, marketingOptOut: { from: false, to: true } },
    })
    await ok(waPayload('PNID_1', { messages: [{ from: '447400400002', id: 'wamid.hist-move', timestamp: '1763900600', type: 'system', system: { body: 'changed', new_wa_id: '4915123400402', type: 'user_changed_number' } }] }))
    expect((await history(fresh))[0]).toMatchObject({ source: 'incoming', changes: { mobile: { from: '+447400400002', to: '+4915123400402' } } })
  })
})
