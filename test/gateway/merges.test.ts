import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver, json, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { waText } from '../helpers/meta.ts'

type ContactJson = { id: string; name: string | null; mobile: string | null; email: string | null; company: string | null; otherMobiles: string[]; otherEmails: string[]; preference: string; identities: { channel: string; externalId: string }[]; ownerId: string | null }
type Groups = { groups: { contactIds: string[]; contacts: ContactJson[]; reasons: { code: string; message: string }[] }[] }
type ErrorJson = { error: { code: string; message: string } }

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ ...META_ENV, DEFAULT_COUNTRY: 'GB' })
})
afterAll(async () => {
  await t.close()
})

async function create(body: Record<string, unknown>): Promise<ContactJson> {
  const res = await t.call('POST', '/v1/contacts', body)
  expect(res.status).toBe(201)
  return json<ContactJson>(res)
}

async function groupWith(id: string) {
  const groups = await json<Groups>(await t.call('GET', '/v1/contacts/duplicates'))
  return groups.groups.find((g) => g.contactIds.includes(id))
}

describe('GET /v1/contacts/duplicates', () => {
  it('groups the same name with the same number under another country code, and says why', async () => {
    const uk = await create({ name: 'Mia Lopez', mobile: '07400 111222' })
    const au = await create({ name: 'mia lopez', mobile: '+61 400 111 222' })
    const group = await groupWith(uk.id)
    expect(group?.contactIds.sort()).toEqual([uk.id, au.id].sort())
    expect(group?.reasons.map((r) => r.code)).toEqual(['same_name_and_number'])
    expect(group?.contacts.map((c) => c.mobile).sort()).toEqual(['+447400111222', '+61400111222'])
  })

  it('groups the same name at the same company, and never again once dismissed', async () => {
    const a = await create({ name: 'Jo Park', company: 'Acme Ltd', email: 'jo@acme.example' })
    const b = await create({ name: 'Jo Park', company: 'ACME LTD', email: 'jpark@home.example' })
    expect(await groupWith(a.id)).toMatchObject({ reason: 'same_name_and_company', reasons: [{ code: 'same_name_and_company' }] })
    const dismissed = await t.call('POST', '/v1/contacts/duplicates/dismiss', { contactIds: [b.id, a.id] })
    expect(dismissed.status).toBe(200)
    expect(await groupWith(a.id)).toBeUndefined()
    const unknown = await t.call('POST', '/v1/contacts/duplicates/dismiss', { contactIds: [a.id, '01900000-0000-7000-8000-000000000abc'] })
    expect(unknown.status).toBe(404)
  })

  it('groups a full name few contacts share, but not a name shared by many', async () => {
    const one = await create({ name: 'Pia  Kowalski-Nowak ', email: 'pia1@example.com' })
    const two = await create({ name: 'pia kowalski-nowak', email: 'pia2@example.com' })
    expect(await groupWith(one.id)).toMatchObject({ contactIds: [one.id, two.id].sort(), reason: 'same_name' })
    const many = []
    for (let i = 0; i < 6; i++) many.push(await create({ name: 'Common Name', email: `common${i}@example.com` }))
    expect(await groupWith(many[0]?.id ?? '')).toBeUndefined()
  })
})

describe('merge and undo', () => {
  it('folds a duplicate into the primary, keeps every way to reach the person, and moves its chats and messages', async () => {
    const primary = await create({ name: 'Sara Kim', mobile: '+447400222333', preference: 'proactive' })
    const waId = '447400222444'
    expect((await deliver(t, 'whatsapp', waText({ waId, name: 'Sara K', id: 'wamid.merge1', text: 'hello' }))).status).toBe(200)
    const [{ id: duplicateId } = { id: '' }] = await t.deps.sql<{ id: string }[]>`select contact_id as id from identities where external_id = ${waId}`
    await t.call('PATCH', `/v1/contacts/${duplicateId}`, { email: 'Sara@Example.com', company: 'Kim & Co' })

    const res = await t.call('POST', '/v1/contacts/merge', { primaryId: primary.id, duplicateIds: [duplicateId] })
    expect(res.status).toBe(200)
    const merged = await json<ContactJson & { mergeId: string }>(res)
    expect(merged).toMatchObject({
      id: primary.id, name: 'Sara Kim', mobile: '+447400222333', email: 'Sara@Example.com', company: 'Kim & Co',
      otherMobiles: ['+447400222444'], preference: 'reactive', identities: [{ channel: 'whatsapp', externalId: waId }],
    })
    const gone = await t.call('GET', `/v1/contacts/${duplicateId}`)
    expect(gone.status).toBe(404)
    expect(await json(gone)).toMatchObject({ error: { code: 'not_found', details: { mergedInto: primary.id } } })
    const messages = await json<{ items: { externalId: string }[] }>(await t.call('GET', `/v1/contacts/${primary.id}/messages`))
    expect(messages.items.map((m) => m.externalId)).toEqual(['wamid.merge1'])
    // The person writes again: it is the primary's chat now, and no new contact appears.
    expect((await deliver(t, 'whatsapp', waText({ waId, id: 'wamid.merge2', text: 'again', ts: 1_763_900_100 }))).status).toBe(200)
    const [again] = await t.deps.sql<{ contact_id: string }[]>`select contact_id from messages where external_id = 'wamid.merge2'`
    expect(again?.contact_id).toBe(primary.id)
    const audit = await json<{ items: { id: string; primaryId: string; duplicateIds: string[]; undoneAt: string | null }[] }>(await t.call('GET', '/v1/merges'))
    expect(audit.items[0]).toMatchObject({ id: merged.mergeId, primaryId: primary.id, duplicateIds: [duplicateId], undoneAt: null })

    // Someone fixes the company after the merge: undo gives the rest back and keeps that fix.
    await t.call('PATCH', `/v1/contacts/${primary.id}`, { company: 'Kim and Co' })
    const undo = await t.call('POST', `/v1/merges/${merged.mergeId}/undo`)
    expect(undo.status).toBe(200)
    const undone = await json<{ merge: { undoneAt: string | null }; contact: ContactJson }>(undo)
    expect(undone.merge.undoneAt).not.toBeNull()
    expect(undone.contact).toMatchObject({ id: primary.id, email: null, company: 'Kim and Co', otherMobiles: [], preference: 'proactive', identities: [] })
    const restored = await json<ContactJson>(await t.call('GET', `/v1/contacts/${duplicateId}`))
    expect(restored).toMatchObject({ email: 'Sara@Example.com', identities: [{ channel: 'whatsapp', externalId: waId }] })
    const back = await t.deps.sql<{ external_id: string; contact_id: string }[]>`
      select external_id, contact_id from messages where external_id in ('wamid.merge1', 'wamid.merge2') order by external_id`
    // The message that arrived while merged stays with the primary that received it; the moved one goes back.
    expect(back).toEqual([{ external_id: 'wamid.merge1', contact_id: duplicateId }, { external_id: 'wamid.merge2', contact_id: primary.id }])
    const twice = await t.call('POST', `/v1/merges/${merged.mergeId}/undo`)
    expect(twice.status).toBe(409)
  })

  it('refuses bad requests with the field named, unknown contacts with 404, and merged ones with 409', async () => {
    const a = await create({ name: 'Val One', email: 'val1@example.com' })
    const b = await create({ name: 'Val Two', email: 'val2@example.com' })
    const same = await t.call('POST', '/v1/contacts/merge', { primaryId: a.id, duplicateIds: [a.id] })
    expect(same.status).toBe(422)
    expect((await json<ErrorJson>(same)).error.message).toContain('duplicateIds')
    const unknown = await t.call('POST', '/v1/contacts/merge', { primaryId: a.id, duplicateIds: ['01900000-0000-7000-8000-000000000def'] })
    expect(unknown.status).toBe(404)
    expect((await t.call('POST', '/v1/contacts/merge', { primaryId: a.id, duplicateIds: [b.id] })).status).toBe(200)
    const again = await t.call('POST', '/v1/contacts/merge', { primaryId: a.id, duplicateIds: [b.id] })
    expect(again.status).toBe(409)
    expect((await t.call('POST', '/v1/merges/01900000-0000-7000-8000-000000000def/undo')).status).toBe(404)
  })

  it('puts every message on the primary when the person keeps writing during the merge', async () => {
    const primary = await create({ name: 'Busy Writer', email: 'busy@example.com' })
    const waId = '447400222555'
    expect((await deliver(t, 'whatsapp', waText({ waId, id: 'wamid.busy-0', text: 'first' }))).status).toBe(200)
    const [{ id: duplicateId } = { id: '' }] = await t.deps.sql<{ id: string }[]>`select contact_id as id from identities where external_id = ${waId}`
    const deliveries = Array.from({ length: 10 }, (_, i) => deliver(t, 'whatsapp', waText({ waId, id: `wamid.busy-${i + 1}`, text: `m${i}`, ts: 1_763_900_010 + i })))
    const [merged, ...delivered] = await Promise.all([t.call('POST', '/v1/contacts/merge', { primaryId: primary.id, duplicateIds: [duplicateId] }), ...deliveries])
    expect(merged?.status).toBe(200)
    expect(delivered.map((r) => r.status)).toEqual(Array(10).fill(200))
    const owners = await t.deps.sql<{ contact_id: string; n: number }[]>`
      select contact_id, count(*)::int as n from messages where external_id like 'wamid.busy-%' group by contact_id`
    expect(owners).toEqual([{ contact_id: primary.id, n: 11 }])
  })

  it('points a merged-away id at the contact that holds it now, through later merges', async () => {
    const [a, b, c] = [await create({ name: 'Chain A', email: 'chain-a@example.com' }), await create({ name: 'Chain B', email: 'chain-b@example.com' }), await create({ name: 'Chain C', email: 'chain-c@example.com' })]
    expect((await t.call('POST', '/v1/contacts/merge', { primaryId: b.id, duplicateIds: [a.id] })).status).toBe(200)
    expect((await t.call('POST', '/v1/contacts/merge', { primaryId: c.id, duplicateIds: [b.id] })).status).toBe(200)
    expect(await json(await t.call('GET', `/v1/contacts/${a.id}`))).toMatchObject({ error: { details: { mergedInto: c.id } } })
    const deleted = await create({ name: 'Gone', email: 'gone@example.com' })
    await t.call('DELETE', `/v1/contacts/${deleted.id}`)
    expect(await json(await t.call('GET', `/v1/contacts/${deleted.id}`))).toEqual({ error: { code: 'not_found', message: 'No such contact.' } })
  })
})
