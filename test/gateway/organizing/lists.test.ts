import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver, json, META_ENV, startTestApp, type TestApp } from '../../helpers/app.ts'
import { waText } from '../../helpers/meta.ts'

type Contact = { id: string; labels: string[]; fields: Record<string, unknown> }
type List = { id: string; name: string; description: string; members: number; ownerId: string }

describe('contact lists', () => {
  let t: TestApp
  let agent: { id: string; token: string }
  beforeAll(async () => {
    t = await startTestApp(META_ENV)
    agent = await json(await t.call('POST', '/v1/users', { name: 'Lou Agent', role: 'agent' }))
  })
  afterAll(async () => t?.close())

  const create = async (body: Record<string, unknown>, token?: string) => json<Contact>(await t.call('POST', '/v1/contacts', body, token))

  it('are made, renamed by their owner or an admin, and deleted without touching the contacts', async () => {
    const list = await json<List>(await t.call('POST', '/v1/lists', { name: ' Wholesale ', description: 'Trade customers' }, agent.token))
    expect(list).toMatchObject({ name: 'Wholesale', description: 'Trade customers', members: 0, ownerId: agent.id })
    expect((await t.call('POST', '/v1/lists', { name: '' })).status).toBe(422)
    const other = await json<{ token: string }>(await t.call('POST', '/v1/users', { name: 'Other Agent', role: 'agent' }))
    expect((await t.call('PATCH', `/v1/lists/${list.id}`, { name: 'Mine now' }, other.token)).status).toBe(403)
    expect(await json<List>(await t.call('PATCH', `/v1/lists/${list.id}`, { name: 'Trade' }))).toMatchObject({ name: 'Trade' })
    const member = await create({ email: 'list-keeps@example.com' })
    await t.call('POST', `/v1/lists/${list.id}/members`, { contactIds: [member.id] })
    expect((await t.call('DELETE', `/v1/lists/${list.id}`, undefined, agent.token)).status).toBe(204)
    expect((await t.call('GET', `/v1/lists/${list.id}`)).status).toBe(404)
    expect((await t.call('GET', `/v1/contacts/${member.id}`)).status).toBe(200)
  })

  it('take picked contacts or all matching a filter, count nobody twice, and page and search their members', async () => {
    const list = await json<List>(await t.call('POST', '/v1/lists', { name: 'Spring campaign' }))
    const a = await create({ name: 'Ada North', email: 'ln-a@example.com', labels: ['North'] })
    const b = await create({ name: 'Ben North', email: 'ln-b@example.com', labels: ['North'] })
    const c = await create({ name: 'Cy South', email: 'ln-c@example.com', labels: ['South'] })
    expect(await json(await t.call('POST', `/v1/lists/${list.id}/members`, { contactIds: [a.id] }))).toEqual({ added: 1 })
    expect(await json(await t.call('POST', `/v1/lists/${list.id}/members`, { filter: { label: 'North' } }))).toEqual({ added: 1 })
    expect(await json(await t.call('POST', `/v1/lists/${list.id}/members`, { contactIds: [a.id, c.id] }))).toEqual({ added: 1 })
    expect((await json<List>(await t.call('GET', `/v1/lists/${list.id}`))).members).toBe(3)
    const found = await json<{ items: Contact[] }>(await t.call('GET', `/v1/lists/${list.id}/members?q=north`))
    expect(found.items.map((x) => x.id).sort()).toEqual([a.id, b.id].sort())
    const first = await json<{ items: Contact[]; nextCursor: string }>(await t.call('GET', `/v1/lists/${list.id}/members?limit=2`))
    const rest = await json<{ items: Contact[]; nextCursor: string | null }>(await t.call('GET', `/v1/lists/${list.id}/members?limit=2&cursor=${first.nextCursor}`))
    expect([...first.items, ...rest.items].map((x) => x.id).sort()).toEqual([a.id, b.id, c.id].sort())
    expect(rest.nextCursor).toBeNull()
    const filtered = await json<{ items: Contact[] }>(await t.call('GET', `/v1/contacts?list=${list.id}&label=South`))
    expect(filtered.items.map((x) => x.id)).toEqual([c.id])

    expect(await json(await t.call('DELETE', `/v1/lists/${list.id}/members`, { contactIds: [c.id, c.id] }))).toEqual({ removed: 1 })
    const history = await json<{ items: { changes?: Record<string, unknown> }[] }>(await t.call('GET', `/v1/contacts/${c.id}/history`))
    expect(history.items.slice(0, 2).map((h) => h.changes)).toEqual([{ list: { from: 'Spring campaign', to: null } }, { list: { from: null, to: 'Spring campaign' } }])

    await t.call('DELETE', `/v1/contacts/${b.id}`)
    expect((await json<List>(await t.call('GET', `/v1/lists/${list.id}`))).members).toBe(1)
    const csv = await (await t.call('GET', `/v1/lists/${list.id}/export.csv`)).text()
    expect(csv.trim().split('\n')).toHaveLength(2)
    expect(csv).toContain('ln-a@example.com')
  })

  it('say how many members may get a WhatsApp template now, and why not the others', async () => {
    const list = await json<List>(await t.call('POST', '/v1/lists', { name: 'Broadcast' }))
    const proactive = await create({ mobile: '+447400111001', preference: 'proactive' })
    const reactive = await create({ mobile: '+447400111002', preference: 'reactive' })
    const emailOnly = await create({ email: 'reach-mail@example.com', preference: 'proactive' })
    const waId = '447400111003'
    const now = Math.floor(Date.now() / 1000)
    expect((await deliver(t, 'whatsapp', waText({ waId, id: 'wamid.reach1', text: 'hi', ts: now - 60 }), { drain: true })).status).toBe(200)
    const [wrote] = await t.deps.sql<{ contact_id: string }[]>`select contact_id from identities where external_id = ${waId}`
    const ids = [proactive.id, reactive.id, emailOnly.id, wrote?.contact_id as string]
    await t.call('POST', `/v1/lists/${list.id}/members`, { contactIds: ids })
    const reach = await json(await t.call('GET', `/v1/lists/${list.id}/reach?channel=whatsapp&kind=template`))
    expect(reach).toEqual({ members: 4, allowed: 2, denied: { reactive_outside_window: 1, no_channel_identity: 1 } })
    const text = await json(await t.call('GET', `/v1/lists/${list.id}/reach?channel=whatsapp&kind=text`))
    expect(text).toEqual({ members: 4, allowed: 1, denied: { reactive_outside_window: 1, no_channel_identity: 1, template_required: 1 } })
  })

  it('of both contacts are kept by a merge, and an undo gives them back as they were', async () => {
    const red = await json<List>(await t.call('POST', '/v1/lists', { name: 'Red' }))
    const blue = await json<List>(await t.call('POST', '/v1/lists', { name: 'Blue' }))
    const primary = await create({ name: 'Pat', email: 'merge-pat@example.com', labels: ['One'] })
    const duplicate = await create({ name: 'Pat B', email: 'merge-pat2@example.com', labels: ['Two'] })
    await t.call('POST', `/v1/lists/${red.id}/members`, { contactIds: [primary.id] })
    await t.call('POST', `/v1/lists/${blue.id}/members`, { contactIds: [duplicate.id] })
    const merged = await json<Contact & { mergeId: string }>(await t.call('POST', '/v1/contacts/merge', { primaryId: primary.id, duplicateIds: [duplicate.id] }))
    expect(merged.labels).toEqual(['One', 'Two'])
    const inBlue = await json<{ items: Contact[] }>(await t.call('GET', `/v1/lists/${blue.id}/members`))
    expect(inBlue.items.map((x) => x.id)).toEqual([primary.id])
    // The duplicate, merged away, is still an entry of the list but no longer counted among its members.
    expect((await json<List>(await t.call('GET', `/v1/lists/${blue.id}`))).members).toBe(1)
    const audit = await json<{ items: { id: string; primaryId: string }[] }>(await t.call('GET', '/v1/merges'))
    const mergeId = audit.items.find((m) => m.primaryId === primary.id)?.id as string
    expect((await t.call('POST', `/v1/merges/${mergeId}/undo`)).status).toBe(200)
    expect((await json<Contact>(await t.call('GET', `/v1/contacts/${primary.id}`))).labels).toEqual(['One'])
    const blueAgain = await json<{ items: Contact[] }>(await t.call('GET', `/v1/lists/${blue.id}/members`))
    expect(blueAgain.items.map((x) => x.id)).toEqual([duplicate.id])
  })
})
