import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver, json, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { messaging, textEvent, waPayload, waStatus, waText } from '../helpers/meta.ts'

type ContactJson = { id: string; name: string | null; mobile: string | null; address: { country?: string }; ownerId: string | null; preference: string; source: string; identities: { channel: string; externalId: string }[] }

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(META_ENV)
})
afterAll(async () => {
  await t.close()
})

async function ok(channel: 'whatsapp' | 'instagram' | 'messenger', payload: unknown) {
  const res = await deliver(t, channel, payload)
  expect(res.status, await res.clone().text()).toBe(200)
}

async function contactsWithIdentity(channel: string, externalId: string): Promise<ContactJson[]> {
  const rows = await t.deps.sql<{ id: string }[]>`select contact_id as id from identities where channel = ${channel} and external_id = ${externalId}`
  return Promise.all(rows.map(async (r) => json<ContactJson>(await t.call('GET', `/v1/contacts/${r.id}`))))
}

async function count(table: 'contacts' | 'messages' | 'chats'): Promise<number> {
  const [row] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from ${t.deps.sql(table)}`
  return row?.n ?? -1
}

describe('WhatsApp first message', () => {
  it('creates one reactive, incoming contact owned by the agent who gets the chat, and redelivery changes nothing', async () => {
    const payload = waText({ waId: '447400100001', name: 'First Writer', id: 'wamid.first1', text: 'Hello there' })
    await ok('whatsapp', payload)
    const [contact] = await contactsWithIdentity('whatsapp', '447400100001')
    const me = await json<{ id: string }>(await t.call('GET', '/v1/me'))
    expect(contact).toMatchObject({ name: 'First Writer', mobile: '+447400100001', address: { country: 'GB' }, preference: 'reactive', source: 'incoming', ownerId: me.id, identities: [{ channel: 'whatsapp', externalId: '447400100001' }] })
    const before = await Promise.all([count('contacts'), count('messages'), count('chats')])
    await ok('whatsapp', payload)
    expect(await Promise.all([count('contacts'), count('messages'), count('chats')])).toEqual(before)
    const messages = await json<{ items: unknown[] }>(await t.call('GET', `/v1/contacts/${contact?.id}/messages`))
    expect(messages.items).toEqual([{ id: expect.any(String), channel: 'whatsapp', direction: 'inbound', type: 'text', text: 'Hello there', externalId: 'wamid.first1', sentAt: '2025-11-23T12:13:20.000Z' }])
  })

  it('links the identity to a contact that already has the mobile, fills an empty name and never overwrites one', async () => {
    const unnamed = await json<ContactJson>(await t.call('POST', '/v1/contacts', { mobile: '+44 7400 100002' }))
    const named = await json<ContactJson>(await t.call('POST', '/v1/contacts', { name: 'Kept Name', mobile: '+44 7400 100003' }))
    await ok('whatsapp', waText({ waId: '447400100002', name: 'Profile Name', id: 'wamid.link1', text: 'a' }))
    await ok('whatsapp', waText({ waId: '447400100003', name: 'Other Profile', id: 'wamid.link2', text: 'b' }))
    expect(await contactsWithIdentity('whatsapp', '447400100002')).toEqual([expect.objectContaining({ id: unnamed.id, name: 'Profile Name', source: 'manual' })])
    expect(await contactsWithIdentity('whatsapp', '447400100003')).toEqual([expect.objectContaining({ id: named.id, name: 'Kept Name' })])
  })

  it('treats a Brazilian mobile without its ninth digit as the same person', async () => {
    const manual = await json<ContactJson>(await t.call('POST', '/v1/contacts', { name: 'Ana BR', mobile: '+55 11 98765-4321' }))
    await ok('whatsapp', waText({ waId: '551187654321', name: 'Ana', id: 'wamid.br1', text: 'oi' }))
    expect(await contactsWithIdentity('whatsapp', '551187654321')).toEqual([expect.objectContaining({ id: manual.id })])
  })

  it('canonicalizes Mexico’s legacy 521 ids', async () => {
    await ok('whatsapp', waText({ waId: '5215512345678', name: 'Mx', id: 'wamid.mx1', text: 'hola' }))
    expect(await contactsWithIdentity('whatsapp', '5215512345678')).toEqual([expect.objectContaining({ mobile: '+525512345678', address: { country: 'MX' } })])
  })

  it('makes a contact without a mobile for business-scoped ids', async () => {
    await ok('whatsapp', waPayload('PNID_1', {
      contacts: [{ profile: { name: 'No Phone' }, user_id: 'US.555', username: 'nophone' }],
      messages: [{ from_user_id: 'US.555', id: 'wamid.bsuid1', timestamp: '1763900000', type: 'text', text: { body: 'hi' } }],
    }))
    expect(await contactsWithIdentity('whatsapp', 'US.555')).toEqual([expect.objectContaining({ name: 'No Phone', mobile: null })])
  })
})

describe('WhatsApp statuses, preferences and number changes', () => {
  it('moves outbound messages forward only, records failures, and creates nothing', async () => {
    await ok('whatsapp', waText({ waId: '447400100010', name: 'Status', id: 'wamid.st-in', text: 'hi' }))
    const [contact] = await contactsWithIdentity('whatsapp', '447400100010')
    await t.deps.sql`insert into messages (id, channel, external_id, direction, contact_id, type, text, raw, status, sent_at)
      values (${t.deps.newId()}, 'whatsapp', 'wamid.out1', 'outbound', ${contact?.id ?? ''}, 'text', 'reply', '{}', 'sent', now()),
             (${t.deps.newId()}, 'whatsapp', 'wamid.out2', 'outbound', ${contact?.id ?? ''}, 'text', 'reply 2', '{}', 'sent', now())`
    const contactsBefore = await count('contacts')
    await ok('whatsapp', waStatus({ id: 'wamid.out1', status: 'read', recipient: '447400100010', contacts: [{ wa_id: '447400100010' }] }))
    await ok('whatsapp', waStatus({ id: 'wamid.out1', status: 'delivered', recipient: '447400100010' }))
    await ok('whatsapp', waStatus({ id: 'wamid.out2', status: 'failed', recipient: '447400100010', errors: [{ code: 131026, title: 'Message undeliverable' }] }))
    await ok('whatsapp', waStatus({ id: 'wamid.unknown', status: 'delivered', recipient: '447499999999', contacts: [{ wa_id: '447499999999', profile: { name: 'Nobody' } }] }))
    expect(await count('contacts')).toBe(contactsBefore)
    const rows = await t.deps.sql<{ external_id: string; status: string; error: unknown }[]>`select external_id, status, error from messages where external_id like 'wamid.out%' order by external_id`
    expect(rows).toEqual([
      { external_id: 'wamid.out1', status: 'read', error: null },
      { external_id: 'wamid.out2', status: 'failed', error: { code: 131026, title: 'Message undeliverable', message: null } },
    ])
  })

  it('makes a contact reactive and records consent on STOP and on a marketing stop', async () => {
    await ok('whatsapp', waText({ waId: '447400100020', name: 'Stopper', id: 'wamid.stop0', text: 'hi' }))
    const [contact] = await contactsWithIdentity('whatsapp', '447400100020')
    await t.call('PATCH', `/v1/contacts/${contact?.id}`, { preference: 'proactive' })
    await ok('whatsapp', waText({ waId: '447400100020', id: 'wamid.stop1', text: 'STOP' }))
    expect((await json<ContactJson>(await t.call('GET', `/v1/contacts/${contact?.id}`))).preference).toBe('reactive')

    await t.call('PATCH', `/v1/contacts/${contact?.id}`, { preference: 'proactive' })
    const prefs = waPayload('PNID_1', { contacts: [{ wa_id: '447400100020' }], user_preferences: [{ wa_id: '447400100020', detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: 1763900500 }] })
    await ok('whatsapp', prefs)
    await ok('whatsapp', prefs)
    expect((await json<ContactJson>(await t.call('GET', `/v1/contacts/${contact?.id}`))).preference).toBe('reactive')
    const events = await t.deps.sql<{ kind: string }[]>`select kind from consent_events where contact_id = ${contact?.id ?? ''} order by at`
    expect(events.map((e) => e.kind)).toEqual(['stop_keyword', 'marketing_stop'])
    const [flag] = await t.deps.sql<{ marketing_opt_out: boolean }[]>`select marketing_opt_out from contacts where id = ${contact?.id ?? ''}`
    expect(flag?.marketing_opt_out).toBe(true)
  })

  it('moves the same contact to the new number and id on user_changed_number', async () => {
    await ok('whatsapp', waText({ waId: '447400100030', name: 'Mover', id: 'wamid.mv0', text: 'hi' }))
    const [before] = await contactsWithIdentity('whatsapp', '447400100030')
    await ok('whatsapp', waPayload('PNID_1', { messages: [{ from: '447400100030', id: 'wamid.mv1', timestamp: '1763900600', type: 'system', system: { body: 'Mover changed their phone number to a new number', new_wa_id: '4915123400030', type: 'user_changed_number' } }] }))
    const [after] = await contactsWithIdentity('whatsapp', '4915123400030')
    expect(after).toMatchObject({ id: before?.id, mobile: '+4915123400030', address: { country: 'DE' }, identities: [{ channel: 'whatsapp', externalId: '4915123400030' }] })
    expect(await contactsWithIdentity('whatsapp', '447400100030')).toEqual([])
    await ok('whatsapp', waText({ waId: '4915123400030', id: 'wamid.mv2', text: 'new number here' }))
    expect(await contactsWithIdentity('whatsapp', '4915123400030')).toEqual([expect.objectContaining({ id: before?.id })])
  })
})

describe('WhatsApp user_changed_number with business-scoped user ids', () => {
  it('links the new user id to the contact and drops the old one', async () => {
    await ok('whatsapp', waText({ waId: '447400100040', id: 'wamid.bs0', text: 'hi', contacts: [{ wa_id: '447400100040', user_id: 'GB.OLD-USER-40', profile: { name: 'Scoped Mover' } }] }))
    const [before] = await contactsWithIdentity('whatsapp', 'GB.OLD-USER-40')
    expect(before?.identities.map((i) => i.externalId).sort()).toEqual(['447400100040', 'GB.OLD-USER-40'])
    await ok('whatsapp', waPayload('PNID_1', {
      messages: [{
        from: '447400100040', id: 'wamid.bs1', timestamp: '1763900700', type: 'system',
        system: { body: 'Scoped Mover changed their phone number to a new number', wa_id: '4915123400040', type: 'user_changed_number', user_id: 'DE.NEW-USER-40', previous_user_id: 'GB.OLD-USER-40' },
      }],
    }))
    const [after] = await contactsWithIdentity('whatsapp', 'DE.NEW-USER-40')
    expect(after).toMatchObject({ id: before?.id, mobile: '+4915123400040' })
    expect(after?.identities.map((i) => i.externalId).sort()).toEqual(['4915123400040', 'DE.NEW-USER-40'])
    expect(await contactsWithIdentity('whatsapp', 'GB.OLD-USER-40')).toEqual([])
    // Only the new user id, as a contact with a business-scoped id but no phone would write: the same contact.
    await ok('whatsapp', waPayload('PNID_1', {
      contacts: [{ user_id: 'DE.NEW-USER-40', profile: { name: 'Scoped Mover' } }],
      messages: [{ from_user_id: 'DE.NEW-USER-40', id: 'wamid.bs2', timestamp: '1763900800', type: 'text', text: { body: 'by user id' } }],
    }))
    expect(await contactsWithIdentity('whatsapp', 'DE.NEW-USER-40')).toEqual([expect.objectContaining({ id: before?.id })])
  })
})

describe('Instagram and Messenger', () => {
  it.each([['instagram', 'instagram', 'IG_ACCOUNT'], ['messenger', 'page', 'PAGE_1']] as const)('%s: a message makes a contact keyed by the scoped id; echoes and receipts make none', async (channel, object, account) => {
    const sender = `${channel}-user-1`
    await ok(channel, messaging(object, account, [textEvent({ from: sender, to: account, mid: `${channel}-m1`, text: 'hi' })]))
    await ok(channel, messaging(object, account, [textEvent({ from: sender, to: account, mid: `${channel}-m1`, text: 'hi' })]))
    const [contact] = await contactsWithIdentity(channel, sender)
    expect(contact).toMatchObject({ mobile: null, source: 'incoming', identities: [{ channel, externalId: sender }] })

    const contactsBefore = await count('contacts')
    await ok(channel, messaging(object, account, [
      textEvent({ from: account, to: `${channel}-stranger`, mid: `${channel}-echo1`, text: 'our reply', echo: true }),
      textEvent({ from: account, to: sender, mid: `${channel}-echo2`, text: 'our reply' }),
      { sender: { id: `${channel}-stranger2` }, recipient: { id: account }, timestamp: 1_763_900_000_000, read: { watermark: 1 } },
      { sender: { id: `${channel}-stranger3` }, recipient: { id: account }, timestamp: 1_763_900_000_000, reaction: { mid: `${channel}-m1`, action: 'react', emoji: '👍' } },
    ]))
    expect(await count('contacts')).toBe(contactsBefore)
    const page = await json<{ items: { direction: string; externalId: string }[] }>(await t.call('GET', `/v1/contacts/${contact?.id}/messages`))
    expect(page.items.map((m) => [m.direction, m.externalId]).sort()).toEqual([['inbound', `${channel}-m1`], ['outbound', `${channel}-echo2`]])
  })
})

describe('owner routing', () => {
  it('takes turns among the inbox’s agents, and gives a returning contact to its owner', async () => {
    const agents: { id: string }[] = []
    for (const name of ['Rita', 'Sam']) {
      agents.push(await json(await t.call('POST', '/v1/users', { name, role: 'agent', inboxes: [{ channel: 'whatsapp', accountId: 'PNID_ROUTE' }, { channel: 'whatsapp', accountId: 'PNID_ROUTE2' }] })))
    }
    const owners: (string | null)[] = []
    for (const n of [1, 2, 3]) {
      await ok('whatsapp', waText({ phoneNumberId: 'PNID_ROUTE', waId: `44740020000${n}`, name: `Routed ${n}`, id: `wamid.route${n}`, text: 'hi' }))
      owners.push((await contactsWithIdentity('whatsapp', `44740020000${n}`))[0]?.ownerId ?? null)
    }
    const ids = agents.map((a) => a.id).sort()
    expect(owners).toEqual([ids[0], ids[1], ids[0]])
    // Contact 2 writes to the second number: a new chat there goes to its owner, who works that inbox too.
    await ok('whatsapp', waText({ phoneNumberId: 'PNID_ROUTE2', waId: '447400200002', id: 'wamid.route4', text: 'me again' }))
    const chats = await t.deps.sql<{ account_id: string; assignee_id: string }[]>`
      select account_id, assignee_id from chats join identities i on i.contact_id = chats.contact_id where i.external_id = '447400200002' order by account_id`
    expect(chats).toEqual([{ account_id: 'PNID_ROUTE', assignee_id: ids[1] }, { account_id: 'PNID_ROUTE2', assignee_id: ids[1] }])
    const users = await json<{ id: string; inboxes: unknown[] }[]>(await t.call('GET', '/v1/users'))
    expect(users.find((u) => u.id === agents[0]?.id)?.inboxes).toEqual([{ channel: 'whatsapp', accountId: 'PNID_ROUTE' }, { channel: 'whatsapp', accountId: 'PNID_ROUTE2' }])
  })

  it('records the last inbound time per contact and channel', async () => {
    await ok('whatsapp', waText({ waId: '447400300001', id: 'wamid.win1', text: 'a', ts: 1_763_900_000 }))
    await ok('whatsapp', waText({ waId: '447400300001', id: 'wamid.win0', text: 'older, delivered late', ts: 1_763_800_000 }))
    const [row] = await t.deps.sql<{ last_inbound_at: Date }[]>`
      select last_inbound_at from contact_channels cc join identities i on i.contact_id = cc.contact_id where i.external_id = '447400300001'`
    expect(row?.last_inbound_at.toISOString()).toBe(new Date(1_763_900_000_000).toISOString())
  })
})

describe('races', () => {
  it('50 concurrent deliveries of one first message make one contact and one message', async () => {
    const payload = waText({ waId: '447400400001', name: 'Racer', id: 'wamid.race1', text: 'go' })
    const results = await Promise.all(Array.from({ length: 50 }, () => deliver(t, 'whatsapp', payload)))
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200))
    expect(await contactsWithIdentity('whatsapp', '447400400001')).toHaveLength(1)
    const [msgs] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from messages where external_id = 'wamid.race1'`
    expect(msgs?.n).toBe(1)
  })
})

describe('GET /v1/contacts/:id/messages', () => {
  it('pages newest first', async () => {
    for (let i = 0; i < 5; i++) await ok('whatsapp', waText({ waId: '447400500001', id: `wamid.page${i}`, text: `m${i}`, ts: 1_763_900_000 + i }))
    const [contact] = await contactsWithIdentity('whatsapp', '447400500001')
    const first = await json<{ items: { text: string }[]; nextCursor: string }>(await t.call('GET', `/v1/contacts/${contact?.id}/messages?limit=3`))
    const second = await json<{ items: { text: string }[]; nextCursor: string | null }>(await t.call('GET', `/v1/contacts/${contact?.id}/messages?limit=3&cursor=${encodeURIComponent(first.nextCursor)}`))
    expect([...first.items, ...second.items].map((m) => m.text)).toEqual(['m4', 'm3', 'm2', 'm1', 'm0'])
    expect(second.nextCursor).toBeNull()
    expect((await t.call('GET', '/v1/contacts/01900000-0000-7000-8000-000000000000/messages')).status).toBe(404)
  })
})

