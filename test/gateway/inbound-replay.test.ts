import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { rng } from '../../bench/lib/fake-people.ts'
import { deliver, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { messaging, textEvent, waPayload, waStatus } from '../helpers/meta.ts'

type Channel = 'whatsapp' | 'instagram' | 'messenger'
type Person = { channel: Channel; id: string; name: string; e164: string | null; country: string | null }
type Delivery = { channel: Channel; payload: unknown }

// A day of traffic: WhatsApp senders from several countries (with Brazil's and Mexico's variant ids), Messenger
// and Instagram users, batches mixing senders, receipts, echoes and status updates for messages we never sent.
function dayOfTraffic(seed: number) {
  const random = rng(seed)
  const people: Person[] = []
  const wa: [string, string, string][] = [
    ['4474001', '+4474001', 'GB'], ['4915123', '+4915123', 'DE'], ['3461234', '+3461234', 'ES'], ['1202555', '+1202555', 'US'], ['9198765', '+9198765', 'IN'],
  ]
  for (let i = 0; i < 30; i++) {
    const [prefix, e164Prefix, country] = wa[i % wa.length] as [string, string, string]
    // Whole numbers of the right length for their country: 12 digits, or 11 for the North American plan.
    const tail = prefix.startsWith('1') ? String(1000 + i) : String(10000 + i)
    people.push({ channel: 'whatsapp', id: `${prefix}${tail}`, name: `WA Person ${i}`, e164: `${e164Prefix}${tail}`, country })
  }
  people.push({ channel: 'whatsapp', id: '551187650001', name: 'Brasil Sem Nove', e164: '+5511987650001', country: 'BR' })
  people.push({ channel: 'whatsapp', id: '5215587650002', name: 'Mexico Legacy', e164: '+525587650002', country: 'MX' })
  for (let i = 0; i < 8; i++) people.push({ channel: 'messenger', id: `psid-${i}`, name: '', e164: null, country: null })
  for (let i = 0; i < 8; i++) people.push({ channel: 'instagram', id: `igsid-${i}`, name: '', e164: null, country: null })

  const deliveries: Delivery[] = []
  const messageIds = new Set<string>()
  let n = 0
  for (const p of people) {
    const count = 1 + Math.floor(random() * 4)
    for (let k = 0; k < count; k++) {
      const mid = `${p.channel}-msg-${n++}`
      messageIds.add(mid)
      const ts = 1_763_900_000 + n
      if (p.channel === 'whatsapp') {
        deliveries.push({ channel: 'whatsapp', payload: waPayload('PNID_DAY', { contacts: [{ profile: { name: p.name }, wa_id: p.id }], messages: [{ from: p.id, id: mid, timestamp: String(ts), type: 'text', text: { body: `hello ${k}` } }] }) })
      } else {
        const account = p.channel === 'messenger' ? 'PAGE_DAY' : 'IG_DAY'
        deliveries.push({ channel: p.channel, payload: messaging(p.channel === 'messenger' ? 'page' : 'instagram', account, [textEvent({ from: p.id, to: account, mid, text: `hi ${k}`, ts: ts * 1000 })]) })
      }
    }
  }
  // One batch with two senders in reverse contact order.
  const [a, b] = people
  if (a !== undefined && b !== undefined) {
    for (const mid of ['batch-1', 'batch-2']) messageIds.add(`whatsapp-${mid}`)
    deliveries.push({ channel: 'whatsapp', payload: waPayload('PNID_DAY', {
      contacts: [{ profile: { name: b.name }, wa_id: b.id }, { profile: { name: a.name }, wa_id: a.id }],
      messages: [{ from: a.id, id: 'whatsapp-batch-1', timestamp: '1763901000', type: 'text', text: { body: 'x' } }, { from: b.id, id: 'whatsapp-batch-2', timestamp: '1763901001', type: 'text', text: { body: 'y' } }],
    }) })
  }
  // Receipts and echoes: none of these may create a contact.
  for (let i = 0; i < 10; i++) {
    deliveries.push({ channel: 'whatsapp', payload: waStatus({ id: `wamid.never-sent-${i}`, status: i % 2 === 0 ? 'delivered' : 'read', recipient: `44740099${String(i).padStart(4, '0')}`, contacts: [{ wa_id: `44740099${String(i).padStart(4, '0')}` }] }) })
    deliveries.push({ channel: 'messenger', payload: messaging('page', 'PAGE_DAY', [{ sender: { id: `reader-${i}` }, recipient: { id: 'PAGE_DAY' }, timestamp: 1, read: { watermark: 1 } }]) })
  }
  const echoIds: string[] = []
  for (let i = 0; i < 5; i++) {
    echoIds.push(`echo-${i}`)
    deliveries.push({ channel: 'instagram', payload: messaging('instagram', 'IG_DAY', [textEvent({ from: 'IG_DAY', to: `stranger-${i}`, mid: `echo-${i}`, text: 'promo', echo: true })]) })
  }
  return { people, deliveries, messageIds, echoIds }
}

function shuffled<T>(items: T[], seed: number): T[] {
  const random = rng(seed)
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

let t: TestApp
beforeEach(async () => {
  t = await startTestApp(META_ENV)
})
afterEach(async () => {
  await t.close()
})

describe('replaying a day of traffic twice, in any order', () => {
  // A few at a time, as Meta's parallel deliveries arrive; and the whole day at once, so that messages from one
  // person, variant spellings of one number and receipts share the inbound writer's batches.
  it.each([['four at a time', 4], ['all at once', Number.POSITIVE_INFINITY]])('%s: one contact per person, one message per id, correct mobiles, owners, and nothing for receipts or echoes', async (_label, concurrency) => {
    const day = dayOfTraffic(2026)
    // A contact typed in before the day, to be linked rather than doubled.
    const manual = day.people[3]
    expect((await t.call('POST', '/v1/contacts', { name: 'Typed By Hand', mobile: manual?.e164 })).status).toBe(201)

    for (const [round, seed] of [[1, 11], [2, 22]] as const) {
      const order = shuffled(day.deliveries, seed)
      const step = Math.min(concurrency, order.length)
      for (let i = 0; i < order.length; i += step) {
        const results = await Promise.all(order.slice(i, i + step).map((d) => deliver(t, d.channel, d.payload)))
        for (const r of results) expect(r.status, `round ${round}`).toBe(200)
      }
    }

    const contacts = await t.deps.sql<{ id: string; name: string | null; mobile: string | null; country: string | null; owner_id: string | null; source: string }[]>`
      select id, name, mobile, country, owner_id, source from contacts where active`
    expect(contacts).toHaveLength(day.people.length)
    for (const p of day.people) {
      const linked = await t.deps.sql<{ contact_id: string }[]>`select contact_id from identities where channel = ${p.channel} and external_id = ${p.id}`
      expect(linked, `${p.channel}:${p.id}`).toHaveLength(1)
      const c = contacts.find((x) => x.id === linked[0]?.contact_id)
      expect(c?.mobile ?? null).toBe(p.e164)
      expect(c?.country ?? null).toBe(p.country)
      expect(c?.owner_id).not.toBeNull()
    }
    expect(contacts.find((c) => c.mobile === manual?.e164)).toMatchObject({ name: 'Typed By Hand', source: 'manual' })

    const messages = await t.deps.sql<{ external_id: string; direction: string }[]>`select external_id, direction from messages`
    expect(messages.filter((m) => m.direction === 'inbound').map((m) => m.external_id).sort()).toEqual([...day.messageIds].sort())
    expect(messages.filter((m) => m.direction === 'outbound').map((m) => m.external_id).sort()).toEqual(day.echoIds.sort())
  })
})
