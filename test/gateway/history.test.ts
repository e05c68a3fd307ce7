import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { importCsv } from '../helpers/imports.ts'

type Entry = { at: string; kind: string; actorId: string | null; source: string; changes?: Record<string, { from: unknown; to: unknown }>; mergeId?: string }
type Page = { items: Entry[]; nextCursor: string | null }

describe('GET /v1/contacts/:id/history', () => {
  let t: TestApp
  let adminId: string
  beforeAll(async () => {
    t = await startTestApp()
    adminId = (await json<{ id: string }>(await t.call('GET', '/v1/me'))).id
  })
  afterAll(async () => t?.close())

  const history = async (id: string, query = '') => json<Page>(await t.call('GET', `/v1/contacts/${id}/history${query}`))

  it('records creation and each edit with who, the door and what changed, newest first', async () => {
    const created = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Hana Hist', mobile: '+447400100200' }))
    await t.call('PATCH', `/v1/contacts/${created.id}`, { mobile: '+447400100201', company: 'Acme' })
    await t.call('PATCH', `/v1/contacts/${created.id}`, { company: 'Acme' })
    const page = await history(created.id)
    expect(page.items.map((e) => e.kind)).toEqual(['updated', 'created'])
    expect(page.items[0]).toMatchObject({ actorId: adminId, source: 'manual', changes: { mobile: { from: '+447400100200', to: '+447400100201' }, company: { from: null, to: 'Acme' } } })
    expect(page.items[1]).toMatchObject({ kind: 'created', actorId: adminId, source: 'manual', changes: { name: { from: null, to: 'Hana Hist' } } })
    const first = await history(created.id, '?limit=1')
    expect(first.items).toHaveLength(1)
    expect((await history(created.id, `?limit=1&cursor=${first.nextCursor}`)).items[0]?.kind).toBe('created')
  })

  it('derives the creation of an imported contact from its row, with its import and the importer', async () => {
    const { summary } = await importCsv(t, 'Name,Email\nIrma Import,irma@example.com\n')
    const [irma] = (await json<{ items: { id: string }[] }>(await t.call('GET', '/v1/contacts?q=irma@example.com'))).items
    const page = await history(irma?.id as string)
    expect(page.items).toEqual([expect.objectContaining({ kind: 'created', source: 'import', actorId: summary.ownerId, importId: summary.id })])
  })

  it('records a merge with the chosen email, and its undo, on both contacts', async () => {
    const a = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Mia Merge', email: 'mia@old.example' }))
    const b = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Mia Merge', email: 'mia@new.example', company: 'Beta' }))
    const merged = await json<{ email: string; otherEmails: string[]; company: string; mergeId: string }>(
      await t.call('POST', '/v1/contacts/merge', { primaryId: a.id, duplicateIds: [b.id], fields: { email: b.id } }))
    expect(merged).toMatchObject({ email: 'mia@new.example', otherEmails: ['mia@old.example'], company: 'Beta' })
    expect((await history(a.id)).items[0]).toMatchObject({ kind: 'merged', source: 'merge', mergeId: merged.mergeId, changes: { email: { from: 'mia@old.example', to: 'mia@new.example' } } })
    expect((await history(b.id)).items[0]).toMatchObject({ kind: 'merged', changes: { mergedInto: { from: null, to: a.id } } })
    await t.call('POST', `/v1/merges/${merged.mergeId}/undo`)
    expect((await json<{ email: string }>(await t.call('GET', `/v1/contacts/${a.id}`))).email).toBe('mia@old.example')
    expect((await history(a.id)).items[0]).toMatchObject({ kind: 'unmerged', changes: { email: { from: 'mia@new.example', to: 'mia@old.example' } } })
  })

  it('refuses a field choice naming a contact outside the merge, and says per field what needs a choice', async () => {
    const a = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Ned Dupe', email: 'ned@one.example' }))
    const b = await json<{ id: string }>(await t.call('POST', '/v1/contacts', { name: 'Ned Dupe', email: 'ned@two.example' }))
    const bad = await t.call('POST', '/v1/contacts/merge', { primaryId: a.id, duplicateIds: [b.id], fields: { email: adminId } })
    expect(bad.status).toBe(422)
    const groups = await json<{ groups: { contactIds: string[]; fields: Record<string, string> }[] }>(await t.call('GET', '/v1/contacts/duplicates'))
    const ned = groups.groups.find((g) => g.contactIds.includes(a.id))
    expect(ned?.fields).toMatchObject({ name: 'agree', email: 'conflict', company: 'agree' })
  })
})
