import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assignChats, turnsWanted } from '../../../domain/inbound/assign-chats.ts'
import type { Sender } from '../../../domain/inbound/events.ts'
import { planInbound, type InboundWrite, type SenderLookup } from '../../../domain/inbound/plan.ts'

const AT = new Date('2026-11-20T10:00:00Z')

function counter(prefix: string): () => string {
  let n = 0
  return () => `${prefix}${++n}`
}

function sender(waId: string, name: string | null = null): Sender {
  return { externalIds: [waId], mobile: { e164: `+${waId}`, country: 'GB', variants: [] }, name }
}

function message(waId: string, id: string, seconds: number, o: Partial<InboundWrite> = {}): InboundWrite {
  return {
    channel: 'whatsapp', accountId: 'PNID', sender: sender(waId, 'Ann'), stopKeyword: false, marketing: null,
    message: { externalId: id, type: 'text', text: 'hi', sentAt: new Date(AT.getTime() + seconds * 1000), raw: {} }, ...o,
  }
}

const NOBODY: SenderLookup = { seen: false, contact: null, chatId: null, members: [], admins: ['admin'] }

describe('planning a batch of inbound writes', () => {
  it('gives a new sender one contact and one chat however many messages they sent, and the window their latest time', () => {
    const writes = [message('447400000001', 'm3', 3), message('447400000001', 'm1', 1), message('447400000001', 'm2', 2)]
    const plan = planInbound(writes, writes.map(() => NOBODY), counter('id'), AT)
    expect(plan.results).toEqual(['stored', 'stored', 'stored'])
    expect(plan.contacts).toHaveLength(1)
    expect(plan.chats).toHaveLength(1)
    expect(plan.messages.map((m) => m.externalId)).toEqual(['m3', 'm1', 'm2'])
    expect(plan.windows).toEqual([{ contactId: plan.contacts[0]?.id, channel: 'whatsapp', at: new Date(AT.getTime() + 3000), accountId: 'PNID' }])
  })

  it('links a found contact, fills only a missing name, and opens no chat where it has one', () => {
    const found: SenderLookup = { ...NOBODY, contact: { id: 'c1', ownerId: 'u1', name: null, mobile: '+447400000002' }, chatId: 'chat1' }
    const plan = planInbound([message('447400000002', 'm1', 0)], [found], counter('id'), AT)
    expect(plan.contacts).toEqual([])
    expect(plan.names).toEqual(new Map([['c1', 'Ann']]))
    expect(plan.chats).toMatchObject([{ id: 'chat1', open: null }])
  })

  it('records a marketing stop of a known contact and nothing else; a redelivered one is a duplicate', () => {
    const found: SenderLookup = { ...NOBODY, contact: { id: 'c1', ownerId: null, name: null, mobile: null }, chatId: null }
    const stop = { kind: 'marketing_stop' as const, detail: 'stop', externalId: 'pref-1', at: AT }
    const write: InboundWrite = { ...message('447400000003', 'unused', 0), message: null, marketing: stop }
    const plan = planInbound([write, write], [found, found], counter('id'), AT)
    expect(plan.results).toEqual(['stored', 'duplicate'])
    expect(plan.consents).toEqual([{ contactId: 'c1', channel: 'whatsapp', kind: 'marketing_stop', detail: 'stop', externalId: 'pref-1', at: AT }])
    expect([plan.contacts, plan.chats, plan.identities, plan.messages, [...plan.names]]).toEqual([[], [], [], [], []])
  })

  it('routes new chats in turns and makes each new contact the receiver’s', () => {
    const members = ['a', 'b', 'c']
    const writes = ['1', '2', '3', '4'].map((n) => message(`44740000010${n}`, `m${n}`, 0))
    const plan = planInbound(writes, writes.map(() => ({ ...NOBODY, members })), counter('id'), AT)
    expect(turnsWanted(plan.chats)).toEqual([{ channel: 'whatsapp', accountId: 'PNID', count: 4 }])
    assignChats(plan.chats, new Map([['whatsapp|PNID', 7]]))
    expect(plan.chats.map((c) => c.open?.assigneeId)).toEqual(['b', 'c', 'a', 'b'])
    expect(plan.contacts.map((c) => c.ownerId)).toEqual(['b', 'c', 'a', 'b'])
  })
})

// A small world: a few ids, some held by contacts in the database with a chat or not, some messages stored already.
const world = fc.record({
  held: fc.dictionary(fc.constantFrom('w1', 'w2', 'w3', 'w4', 'w5'), fc.record({ contact: fc.constantFrom('c1', 'c2', 'c3'), chat: fc.boolean() })),
  stored: fc.uniqueArray(fc.constantFrom<string>('m1', 'm2', 'm3'), { maxLength: 2 }),
  writes: fc.array(fc.record({
    ids: fc.uniqueArray(fc.constantFrom('w1', 'w2', 'w3', 'w4', 'w5'), { minLength: 1, maxLength: 2 }),
    account: fc.constantFrom('A', 'B'),
    message: fc.option(fc.constantFrom('m1', 'm2', 'm3', 'm4', 'm5', 'm6'), { nil: null }),
    seconds: fc.integer({ min: 0, max: 100 }),
    name: fc.option(fc.constantFrom('Ann', 'Ben'), { nil: null }),
  }), { maxLength: 12 }),
})

describe('planning any batch', () => {
  it('accounts for every write, stores each message id once, gives each sender one contact and each inbox one chat per contact', () => {
    fc.assert(fc.property(world, (w) => {
      const writes: InboundWrite[] = w.writes.map((x, i) => ({
        channel: 'whatsapp', accountId: x.account, stopKeyword: false, sender: { externalIds: x.ids, mobile: null, name: x.name },
        message: x.message === null ? null : { externalId: x.message, type: 'text', text: null, sentAt: new Date(AT.getTime() + x.seconds * 1000), raw: null },
        marketing: x.message === null ? { kind: 'marketing_stop', detail: null, externalId: `pref-${i % 3}`, at: AT } : null,
      }))
      const lookups = writes.map((write): SenderLookup => {
        const hit = write.sender.externalIds.map((id) => w.held[id]).find((h) => h !== undefined)
        return {
          seen: write.message !== null && w.stored.includes(write.message.externalId),
          contact: hit === undefined ? null : { id: hit.contact, ownerId: null, name: null, mobile: null },
          chatId: hit?.chat === true ? `chat-${hit.contact}-${write.accountId}` : null, members: [], admins: [],
        }
      })
      const plan = planInbound(writes, lookups, counter('new'), AT)

      expect(plan.results).toHaveLength(writes.length)
      const storedIds = plan.messages.map((m) => m.externalId)
      expect(new Set(storedIds).size).toBe(storedIds.length)
      for (const id of storedIds) expect(w.stored).not.toContain(id)
      const wanted = new Set(writes.flatMap((x) => (x.message === null || w.stored.includes(x.message.externalId) ? [] : [x.message.externalId])))
      expect(new Set(storedIds)).toEqual(wanted)

      // No id is given to two contacts, and the contact an id is planned for is the one its next message lands on.
      const ownerOfId = new Map<string, string>()
      for (const i of plan.identities) {
        expect(ownerOfId.has(i.externalId)).toBe(false)
        ownerOfId.set(i.externalId, i.contactId)
      }
      const chats = new Set(plan.chats.map((c) => `${c.contact.id}|${c.accountId}`))
      expect(chats.size).toBe(plan.chats.length)
      const chatIds = new Set(plan.chats.map((c) => c.id))
      for (const m of plan.messages) {
        expect(chatIds.has(m.chatId)).toBe(true)
        const window = plan.windows.find((x) => x.contactId === m.contactId)
        expect(window?.at.getTime()).toBeGreaterThanOrEqual(m.sentAt.getTime())
      }
      const newContacts = new Set(plan.contacts.map((c) => c.id))
      for (const c of plan.contacts) expect(c.id.startsWith('new')).toBe(true)
      expect(newContacts.size).toBe(plan.contacts.length)
    }))
  })
})
