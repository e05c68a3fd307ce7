import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from '../helpers/app.ts'

type ErrorJson = { error: { code: string; message: string; details?: unknown } }
type UserJson = { id: string; name: string; role: string; telegramId: string | null; token?: string }

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

describe('authentication', () => {
  it.each([
    ['no header', null],
    ['an unknown token', 'cg_not-a-real-token'],
  ])('answers 401 with %s', async (_label, token) => {
    const res = await t.call('GET', '/v1/me', undefined, token)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/)
    expect((await json<ErrorJson>(res)).error.code).toBe('unauthorized')
  })

  it('maps the bootstrap token to the built-in admin', async () => {
    const me = await json<UserJson>(await t.call('GET', '/v1/me', undefined, ADMIN_TOKEN))
    expect(me).toEqual({ id: expect.any(String), name: 'Admin', role: 'admin' })
  })
})

describe('/v1/users', () => {
  it('lets an admin add an agent, whose token then works once and for all', async () => {
    const res = await t.call('POST', '/v1/users', { name: 'Alice Agent', role: 'agent', telegramId: 123456789 })
    expect(res.status).toBe(201)
    const alice = await json<UserJson>(res)
    expect(alice).toMatchObject({ name: 'Alice Agent', role: 'agent', telegramId: '123456789' })
    expect(alice.token).toMatch(/^cg_[A-Za-z0-9_-]{43}$/)

    const me = await json<UserJson>(await t.call('GET', '/v1/me', undefined, alice.token))
    expect(me).toEqual({ id: alice.id, name: 'Alice Agent', role: 'agent' })

    const list = await json<UserJson[]>(await t.call('GET', '/v1/users', undefined, alice.token))
    expect(list.map((u) => u.name)).toEqual(['Admin', 'Alice Agent'])
    expect(list.every((u) => !('token' in u))).toBe(true)

    const created = await t.call('POST', '/v1/contacts', { email: 'alice-owned@example.com' }, alice.token)
    expect((await json<{ ownerId: string }>(created)).ownerId).toBe(alice.id)
  })

  it('forbids agents from adding users', async () => {
    const agent = await json<UserJson>(await t.call('POST', '/v1/users', { name: 'Bob', role: 'agent' }))
    const res = await t.call('POST', '/v1/users', { name: 'Mallory', role: 'admin' }, agent.token)
    expect(res.status).toBe(403)
    expect((await json<ErrorJson>(res)).error.code).toBe('forbidden')
  })

  it('stops a deactivated user’s token at once, even though tokens are cached', async () => {
    const dana = await json<UserJson>(await t.call('POST', '/v1/users', { name: 'Dana', role: 'agent' }))
    expect((await t.call('GET', '/v1/me', undefined, dana.token)).status).toBe(200)
    const res = await t.call('PATCH', `/v1/users/${dana.id}`, { active: false })
    expect(res.status).toBe(200)
    expect((await t.call('GET', '/v1/me', undefined, dana.token)).status).toBe(401)
    expect((await t.call('PATCH', `/v1/users/${dana.id}`, { active: true })).status).toBe(200)
    expect((await t.call('GET', '/v1/me', undefined, dana.token)).status).toBe(200)
  })

  it('keeps the built-in admin an active admin, and lets only admins change users', async () => {
    const me = await json<UserJson>(await t.call('GET', '/v1/me'))
    expect((await t.call('PATCH', `/v1/users/${me.id}`, { active: false })).status).toBe(409)
    const agent = await json<UserJson>(await t.call('POST', '/v1/users', { name: 'Eve', role: 'agent' }))
    expect((await t.call('PATCH', `/v1/users/${agent.id}`, { role: 'admin' }, agent.token)).status).toBe(403)
    expect((await t.call('PATCH', '/v1/users/01900000-0000-7000-8000-000000000000', { name: 'x' })).status).toBe(404)
  })

  it('refuses a Telegram id that is taken, and bad input by field', async () => {
    await t.call('POST', '/v1/users', { name: 'Carol', role: 'agent', telegramId: '555' })
    const dup = await t.call('POST', '/v1/users', { name: 'Carol 2', role: 'agent', telegramId: '555' })
    expect(dup.status).toBe(409)
    const bad = await t.call('POST', '/v1/users', { name: '', role: 'boss' })
    expect(bad.status).toBe(422)
    const fields = ((await json<ErrorJson>(bad)).error.details as { field: string }[]).map((d) => d.field).sort()
    expect(fields).toEqual(['name', 'role'])
  })
})

describe('/openapi.json', () => {
  it('documents every route, the platforms\' webhooks too', async () => {
    const res = await t.call('GET', '/openapi.json', undefined, null)
    expect(res.status).toBe(200)
    const doc = await json<{ openapi: string; paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, { properties?: Record<string, unknown> }> } }>(res)
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(doc.paths).sort()).toEqual(['/healthz', '/v1/contacts', '/v1/contacts/duplicates', '/v1/contacts/duplicates/dismiss', '/v1/contacts/export.csv', '/v1/contacts/merge', '/v1/contacts/{id}', '/v1/contacts/{id}/history', '/v1/contacts/{id}/messages', '/v1/imports', '/v1/imports/{id}', '/v1/imports/{id}/failures', '/v1/imports/{id}/start', '/v1/inbox/dead', '/v1/inbox/dead/{id}/retry', '/v1/jobs', '/metrics', '/v1/me', '/v1/merges', '/v1/merges/{id}/undo', '/v1/messages', '/v1/outbound/check', '/v1/sync/{system}', '/v1/users', '/v1/users/{id}', '/v1/contacts/bulk', '/v1/labels', '/v1/labels/{id}', '/v1/fields', '/v1/fields/{key}', '/v1/lists', '/v1/lists/{id}', '/v1/lists/{id}/members', '/v1/lists/{id}/reach', '/v1/lists/{id}/export.csv', '/telegram/webhook', '/webhooks/hubspot', '/webhooks/zoho', '/webhooks/{channel}'].sort())
    expect(Object.keys(doc.paths['/v1/contacts/{id}'] ?? {}).sort()).toEqual(['delete', 'get', 'patch'])
    expect(Object.keys(doc.paths['/v1/imports'] ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(doc.paths['/webhooks/{channel}'] ?? {}).sort()).toEqual(['get', 'post'])
    expect(Object.keys(doc.components.schemas.ContactInput?.properties ?? {})).toContain('dateOfBirth')
  })
})
