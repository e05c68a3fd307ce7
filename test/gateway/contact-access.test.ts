import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('who may change a contact', () => {
  let t: TestApp
  let agent: { id: string; token: string }
  let other: { id: string; token: string }
  beforeAll(async () => {
    t = await startTestApp()
    agent = await json(await t.call('POST', '/v1/users', { name: 'Ann Agent', role: 'agent' }))
    other = await json(await t.call('POST', '/v1/users', { name: 'Otto Other', role: 'agent' }))
  })
  afterAll(async () => t?.close())

  it('lets an agent read every contact but change only theirs and the unowned', async () => {
    const theirs = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { email: 'otto-customer@example.com', ownerId: other.id }))
    const unowned = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { email: 'nobody-customer@example.com', ownerId: null }))
    expect((await t.call('GET', `/v1/contacts/${theirs.id}`, undefined, agent.token)).status).toBe(200)
    const refused = await t.call('PATCH', `/v1/contacts/${theirs.id}`, { name: 'Taken' }, agent.token)
    expect(refused.status).toBe(403)
    expect((await json<{ error: { code: string } }>(refused)).error.code).toBe('forbidden')
    expect((await t.call('DELETE', `/v1/contacts/${theirs.id}`, undefined, agent.token)).status).toBe(403)
    expect((await t.call('PATCH', `/v1/contacts/${unowned.id}`, { name: 'Claimed', ownerId: agent.id }, agent.token)).status).toBe(200)
    expect((await t.call('PATCH', `/v1/contacts/${unowned.id}`, { ownerId: other.id }, agent.token)).status).toBe(403)
    expect((await t.call('PATCH', `/v1/contacts/${theirs.id}`, { name: 'Admin may' })).status).toBe(200)
  })
})
