import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Sender } from '../../domain/inbound/events.ts'
import { recordInboundInTransaction, type InboundContext, type SenderEvent } from '../../storage/inbound/batch.ts'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database
let n = 0
const ctx = (): InboundContext => ({ newId: () => crypto.randomUUID(), now: new Date('2026-11-20T10:00:00Z'), defaultPreference: 'proactive' })
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

/** A batch in a transaction of its own, as a drainer's turn writes it. */
const recordInboundBatch = (events: SenderEvent[], context: InboundContext) => db.sql.begin((tx) => recordInboundInTransaction(tx, events, context))

function wa(waId: string, name: string | null = null): Sender {
  return { externalIds: [waId], mobile: { e164: `+${waId}`, country: null, variants: [] }, name }
}

function message(from: Sender, id = `wamid.${++n}`): SenderEvent {
  return { kind: 'message', channel: 'whatsapp', accountId: 'PNID', sender: from, stopKeyword: false, message: { externalId: id, type: 'text', text: 'hi', sentAt: new Date('2026-11-20T09:00:00Z'), raw: {} } }
}

function preference(of: Sender, value: 'stop' | 'resume', externalId: string): SenderEvent {
  return { kind: 'marketing_preference', channel: 'whatsapp', accountId: 'PNID', sender: of, value, detail: null, at: new Date('2026-11-20T09:30:00Z'), externalId }
}

async function contactsHolding(...waIds: string[]) {
  return db.sql<{ id: string; mobile: string | null; preference: string; marketing_opt_out: boolean }[]>`
    select distinct c.id, c.mobile, c.preference, c.marketing_opt_out from contacts c join identities i on i.contact_id = c.id
    where i.external_id = any(${waIds}::text[])`
}

describe('one batch of inbound events', () => {
  it('moves a contact across a number change with the messages on either side of it in the same batch', async () => {
    const before = wa('447400900001', 'Mover')
    const after = wa('4915112300001')
    const change: SenderEvent = { kind: 'number_changed', channel: 'whatsapp', accountId: 'PNID', from: before, to: after, message: { externalId: 'wamid.change1', type: 'system', text: null, sentAt: new Date('2026-11-20T09:10:00Z'), raw: {} } }
    const results = await recordInboundBatch([message(before), change, message(after), change], ctx())
    expect(results).toEqual(['stored', 'stored', 'stored', 'duplicate'])
    const contacts = await contactsHolding('447400900001', '4915112300001')
    expect(contacts).toMatchObject([{ mobile: '+4915112300001' }])
    const [ids] = await db.sql<{ ids: string[]; messages: number }[]>`
      select array(select external_id from identities where contact_id = ${contacts[0]?.id ?? ''}) as ids,
             (select count(*)::int from messages where contact_id = ${contacts[0]?.id ?? ''}) as messages`
    expect(ids).toEqual({ ids: ['4915112300001'], messages: 3 })
  })

  it('makes one contact for a stranger’s marketing stop and first message together, and records the stop once', async () => {
    const stranger = wa('447400900002', 'Stranger')
    const results = await recordInboundBatch([preference(stranger, 'stop', 'pref-2'), message(stranger), preference(stranger, 'stop', 'pref-2')], ctx())
    expect(results).toEqual(['stored', 'stored', 'duplicate'])
    expect(await contactsHolding('447400900002')).toMatchObject([{ preference: 'reactive', marketing_opt_out: true }])
    expect(await recordInboundBatch([preference(stranger, 'stop', 'pref-2')], ctx())).toEqual(['duplicate'])
    const [row] = await db.sql<{ events: number; chats: number }[]>`
      select (select count(*)::int from consent_events where external_id = 'pref-2') as events,
             (select count(*)::int from chats ch join identities i on i.contact_id = ch.contact_id where i.external_id = '447400900002') as chats`
    expect(row).toEqual({ events: 1, chats: 1 })
  })

  it('lifts a marketing stop on resume and leaves the contact reactive', async () => {
    const person = wa('447400900003')
    await recordInboundBatch([message(person), preference(person, 'stop', 'pref-3a')], ctx())
    await recordInboundBatch([preference(person, 'resume', 'pref-3b')], ctx())
    expect(await contactsHolding('447400900003')).toMatchObject([{ preference: 'reactive', marketing_opt_out: false }])
  })

  it('no longer has the single-event lookup it replaced', async () => {
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_proc where proname = 'inbound_lookup'`
    expect(row?.n).toBe(0)
  })
})
