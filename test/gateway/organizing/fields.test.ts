import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../../helpers/app.ts'

type Contact = { id: string; fields: Record<string, unknown> }
type Problem = { error: { code: string; details?: { field: string; message: string }[] } }

describe('custom fields', () => {
  let t: TestApp
  let agent: { id: string; token: string }
  beforeAll(async () => {
    t = await startTestApp()
    agent = await json(await t.call('POST', '/v1/users', { name: 'Fay Agent', role: 'agent' }))
    for (const field of [
      { key: 'tier', label: 'Tier', type: 'choice', choices: ['Gold', 'Silver'] },
      { key: 'spend', label: 'Yearly spend', type: 'number' },
      { key: 'renewal', label: 'Renewal date', type: 'date' },
      { key: 'vip', label: 'VIP', type: 'boolean' },
      { key: 'notes', label: 'Notes', type: 'text' },
    ]) expect((await t.call('POST', '/v1/fields', field)).status).toBe(201)
  })
  afterAll(async () => t?.close())

  it('are defined by admins only, with checked keys, and listed in the order they were made', async () => {
    expect((await t.call('POST', '/v1/fields', { key: 'region', label: 'Region', type: 'text' }, agent.token)).status).toBe(403)
    const bad = await t.call('POST', '/v1/fields', { key: 'Bad Key', label: 'x', type: 'text' })
    expect(bad.status).toBe(422)
    expect((await json<Problem>(bad)).error.details?.[0]?.field).toBe('key')
    expect((await t.call('POST', '/v1/fields', { key: 'tier', label: 'Again', type: 'text' })).status).toBe(409)
    expect((await t.call('POST', '/v1/fields', { key: 'size', label: 'Size', type: 'choice', choices: [] })).status).toBe(422)
    const all = await json<{ items: { key: string }[] }>(await t.call('GET', '/v1/fields', undefined, agent.token))
    expect(all.items.map((f) => f.key)).toEqual(['tier', 'spend', 'renewal', 'vip', 'notes'])
  })

  it('take typed values from anyone, refuse a wrong type naming fields.<key>, and clear with null', async () => {
    const made = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'cf1@example.com', fields: { tier: 'gold', spend: '1200.50', renewal: '2027-03-01', vip: 'yes' } }, agent.token))
    expect(made.fields).toEqual({ tier: 'Gold', spend: 1200.5, renewal: '2027-03-01', vip: true })
    const wrong = await t.call('PATCH', `/v1/contacts/${made.id}`, { fields: { tier: 'Bronze', spend: 'lots' } })
    expect(wrong.status).toBe(422)
    expect((await json<Problem>(wrong)).error.details?.map((d) => d.field)).toEqual(['fields.tier', 'fields.spend'])
    expect((await t.call('PATCH', `/v1/contacts/${made.id}`, { fields: { nosuch: 1 } })).status).toBe(422)
    expect((await t.call('PATCH', `/v1/contacts/${made.id}`, { fields: { renewal: '2027-02-30' } })).status).toBe(422)
    const cleared = await json<Contact>(await t.call('PATCH', `/v1/contacts/${made.id}`, { fields: { vip: null, notes: 'Prefers mornings' } }))
    expect(cleared.fields).toEqual({ tier: 'Gold', spend: 1200.5, renewal: '2027-03-01', notes: 'Prefers mornings' })
    const history = await json<{ items: { changes?: Record<string, { from: unknown; to: unknown }> }[] }>(await t.call('GET', `/v1/contacts/${made.id}/history`))
    expect(history.items[0]?.changes?.fields).toEqual({
      from: { tier: 'Gold', spend: 1200.5, renewal: '2027-03-01', vip: true },
      to: { tier: 'Gold', spend: 1200.5, renewal: '2027-03-01', notes: 'Prefers mornings' },
    })
  })

  it('filter the contacts by equality, read by the field’s type', async () => {
    const gold = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'cf-gold@example.com', fields: { tier: 'Gold', vip: true, spend: 10 } }))
    await t.call('POST', '/v1/contacts', { email: 'cf-silver@example.com', fields: { tier: 'Silver', vip: true, spend: 10 } })
    const found = await json<{ items: Contact[] }>(await t.call('GET', '/v1/contacts?field.tier=gold&field.vip=yes&field.spend=10.0'))
    expect(found.items.map((c) => c.id)).toEqual([gold.id])
    const bad = await t.call('GET', '/v1/contacts?field.spend=lots')
    expect(bad.status).toBe(400)
    expect((await t.call('GET', '/v1/contacts?field.nosuch=1')).status).toBe(400)
  })

  it('renamed keep their values; deleted take their values with them; both in the export', async () => {
    const c = await json<Contact>(await t.call('POST', '/v1/contacts', { email: 'cf-export@example.com', fields: { notes: '=cmd()', spend: 3 } }))
    expect((await t.call('PATCH', '/v1/fields/spend', { label: 'Spend' })).status).toBe(200)
    expect((await t.call('PATCH', '/v1/fields/spend', { choices: ['a'] })).status).toBe(422)
    const csv = await (await t.call('GET', '/v1/contacts/export.csv?q=cf-export@example.com')).text()
    const [header, row] = csv.replace(/^\ufeff/, '').trim().split('\n')
    expect(header?.split(',').slice(-6)).toEqual(['Labels', 'Tier', 'Spend', 'Renewal date', 'VIP', 'Notes'])
    expect(row).toContain("'=cmd()")
    expect((await t.call('DELETE', '/v1/fields/notes')).status).toBe(204)
    expect((await json<Contact>(await t.call('GET', `/v1/contacts/${c.id}`))).fields).toEqual({ spend: 3 })
  })
})
