import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../../helpers/app.ts'

type Contact = { id: string; labels: string[] }
type Label = { id: string; name: string; color: string | null; contacts: number }
type Problem = { error: { code: string; message: string; details?: { field: string }[] } }

describe('labels', () => {
  let t: TestApp
  let agent: { id: string; token: string }
  beforeAll(async () => {
    t = await startTestApp()
    agent = await json(await t.call('POST', '/v1/users', { name: 'Ann Agent', role: 'agent' }))
  })
  afterAll(async () => t?.close())

  it('are made on the fly from a contact, unique ignoring case and accents, and shown A–Z', async () => {
    const made = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'lab1@example.com', labels: ['VIP', 'Café', 'vip'] }))
    expect(made.labels).toEqual(['Café', 'VIP'])
    const clash = await t.call('POST', '/v1/labels', { name: '  cafe ' })
    expect(clash.status).toBe(409)
    const all = await json<{ items: Label[] }>(await t.call('GET', '/v1/labels'))
    expect(all.items.filter((l) => ['Café', 'VIP'].includes(l.name)).map((l) => l.contacts)).toEqual([1, 1])
  })

  it('refuse an empty or too long name, naming the field', async () => {
    const empty = await t.call('POST', '/v1/labels', { name: '   ' })
    expect(empty.status).toBe(422)
    const long = await t.call('POST', '/v1/contacts', { email: 'lab-long@example.com', labels: ['ok', 'x'.repeat(51)] })
    expect(long.status).toBe(422)
    expect((await json<Problem>(long)).error.details?.[0]?.field).toBe('labels[1]')
  })

  it('filter the contacts by one or several, and a rename shows on every contact', async () => {
    const a = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'fa@example.com', labels: ['Wholesale', 'North'] }))
    const b = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'fb@example.com', labels: ['Wholesale'] }))
    const one = await json<{ items: Contact[] }>(await t.call('GET', '/v1/contacts?label=wholesale&limit=100'))
    expect(one.items.map((c) => c.id).sort()).toEqual([a.id, b.id].sort())
    const both = await json<{ items: Contact[] }>(await t.call('GET', '/v1/contacts?label=Wholesale&label=North'))
    expect(both.items.map((c) => c.id)).toEqual([a.id])
    const none = await json<{ items: Contact[] }>(await t.call('GET', '/v1/contacts?label=NoSuchLabel'))
    expect(none.items).toEqual([])

    const label = (await json<{ items: Label[] }>(await t.call('GET', '/v1/labels'))).items.find((l) => l.name === 'Wholesale') as Label
    expect((await t.call('PATCH', `/v1/labels/${label.id}`, { name: 'Trade' }, agent.token)).status).toBe(403)
    const renamed = await json<Label>(await t.call('PATCH', `/v1/labels/${label.id}`, { name: 'Trade', color: '#AA3300' }))
    expect(renamed).toMatchObject({ name: 'Trade', color: '#aa3300', contacts: 2 })
    expect((await json<Contact>(await t.call('GET', `/v1/contacts/${b.id}`))).labels).toEqual(['Trade'])
    expect((await t.call('PATCH', `/v1/labels/${label.id}`, { color: 'red' })).status).toBe(422)
  })

  it('are added and taken off in bulk, each change in the contact’s history, agents only on what they may change', async () => {
    const mine = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'bulk-mine@example.com' }, agent.token))
    const admins = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'bulk-admins@example.com' }))
    const outcome = await json<{ matched: number; changed: number }>(await t.call('POST', '/v1/contacts/bulk', { ids: [mine.id, admins.id], addLabels: ['Spring'] }, agent.token))
    expect(outcome).toEqual({ matched: 2, changed: 1 })
    expect((await json<Contact>(await t.call('GET', `/v1/contacts/${mine.id}`))).labels).toEqual(['Spring'])
    expect((await json<Contact>(await t.call('GET', `/v1/contacts/${admins.id}`))).labels).toEqual([])
    const history = await json<{ items: { source: string; actorId: string; changes?: Record<string, { from: unknown; to: unknown }> }[] }>(await t.call('GET', `/v1/contacts/${mine.id}/history`))
    expect(history.items[0]).toMatchObject({ source: 'manual', actorId: agent.id, changes: { labels: { from: null, to: ['Spring'] } } })

    const byFilter = await json<{ matched: number; changed: number }>(await t.call('POST', '/v1/contacts/bulk', { filter: { label: 'Spring' }, removeLabels: ['spring'], addLabels: ['Summer'] }))
    expect(byFilter).toEqual({ matched: 1, changed: 1 })
    expect((await json<Contact>(await t.call('GET', `/v1/contacts/${mine.id}`))).labels).toEqual(['Summer'])
  })

  it('deleted are taken off every contact', async () => {
    const c = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'del-label@example.com', labels: ['Gone', 'Kept'] }))
    const gone = (await json<{ items: Label[] }>(await t.call('GET', '/v1/labels'))).items.find((l) => l.name === 'Gone') as Label
    expect((await t.call('DELETE', `/v1/labels/${gone.id}`)).status).toBe(204)
    expect((await json<Contact>(await t.call('GET', `/v1/contacts/${c.id}`))).labels).toEqual(['Kept'])
    expect((await t.call('DELETE', `/v1/labels/${gone.id}`)).status).toBe(404)
  })
})
