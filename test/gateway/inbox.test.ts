import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { drainInbox } from '../../gateway/actions/inbound.ts'
import { MAX_ATTEMPTS } from '../../domain/inbound/inbox.ts'
import { recordInboundInTransaction } from '../../storage/inbound/batch.ts'
import { storeDeliveries } from '../../storage/inbox.ts'
import { deliver, json, META_ENV, settleInbox, startTestApp, type TestApp } from '../helpers/app.ts'
import { waText } from '../helpers/meta.ts'

// A delivery is answered once its raw body is in the inbox; deliveries that arrive together share one insert, and
// a drainer applies what is due in one transaction (gateway/actions/inbound.ts). Spies count both.
vi.mock(import('../../storage/inbox.ts'), async (original) => {
  const real = await original()
  return { ...real, storeDeliveries: vi.fn(real.storeDeliveries) }
})
// A message id that starts with 'wamid.poison' fails as a storage failure would, while `poisoned` is true.
let poisoned = true
vi.mock(import('../../storage/inbound/batch.ts'), async (original) => {
  const real = await original()
  return {
    ...real,
    recordInboundInTransaction: vi.fn((...[tx, events, ctx]: Parameters<typeof real.recordInboundInTransaction>) => {
      if (poisoned && events.some((e) => e.kind === 'message' && e.message.externalId.startsWith('wamid.poison'))) return Promise.reject(new Error('the message could not be written'))
      return real.recordInboundInTransaction(tx, events, ctx)
    }),
  }
})

/** The message ids of each drained batch that wrote any of `ids`, in the order they were written. */
function batchesWriting(ids: string[]): string[][] {
  return vi.mocked(recordInboundInTransaction).mock.calls
    .map(([, events]) => events.flatMap((e) => (e.kind === 'message' ? [e.message.externalId] : [])).sort())
    .filter((batch) => batch.some((id) => ids.includes(id)))
}

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(META_ENV)
})
afterAll(async () => {
  await t.close()
})

async function contactOf(waId: string) {
  return t.deps.sql<{ id: string; owner_id: string | null; name: string | null; mobile: string | null }[]>`
    select c.id, c.owner_id, c.name, c.mobile from contacts c join identities i on i.contact_id = c.id where i.channel = 'whatsapp' and i.external_id = ${waId}`
}

describe('messages that arrive together', () => {
  it('make one contact and one chat for a new sender who sent several, with the latest time as the window', async () => {
    const waId = '447400700001'
    vi.mocked(storeDeliveries).mockClear()
    const deliveries = [3, 1, 2].map((n) => deliver(t, 'whatsapp', waText({ waId, name: 'Burst', id: `wamid.burst${n}`, text: `m${n}`, ts: 1_763_900_000 + n }), { drain: false }))
    expect((await Promise.all(deliveries)).map((r) => r.status)).toEqual([200, 200, 200])
    expect(vi.mocked(storeDeliveries).mock.calls.map(([, stored]) => stored.length)).toEqual([3])
    expect(await contactOf(waId)).toEqual([])
    expect(await drainInbox(t.deps)).toBe(3)
    expect(batchesWriting(['wamid.burst1', 'wamid.burst2', 'wamid.burst3'])).toEqual([['wamid.burst1', 'wamid.burst2', 'wamid.burst3']])
    const contacts = await contactOf(waId)
    expect(contacts).toMatchObject([{ name: 'Burst', mobile: '+447400700001' }])
    const id = contacts[0]?.id ?? ''
    const [counts] = await t.deps.sql<{ chats: number; messages: number; last: Date }[]>`
      select (select count(*)::int from chats where contact_id = ${id}) as chats,
             (select count(*)::int from messages where contact_id = ${id}) as messages,
             (select last_inbound_at from contact_channels where contact_id = ${id} and channel = 'whatsapp') as last`
    expect(counts).toEqual({ chats: 1, messages: 3, last: new Date(1_763_900_003_000) })
  })

  it('share out new chats in turns, and each new contact belongs to whoever received its chat', async () => {
    const agents: string[] = []
    for (const name of ['Ana', 'Ben', 'Cy']) {
      agents.push((await json<{ id: string }>(await t.call('POST', '/v1/users', { name, role: 'agent', inboxes: [{ channel: 'whatsapp', accountId: 'PNID_BURST' }] }))).id)
    }
    const senders = Array.from({ length: 9 }, (_, i) => `44740071000${i}`)
    const statuses = await Promise.all(senders.map((waId) => deliver(t, 'whatsapp', waText({ phoneNumberId: 'PNID_BURST', waId, id: `wamid.turn-${waId}`, text: 'hello' }))))
    expect(statuses.every((r) => r.status === 200)).toBe(true)
    const owners = await Promise.all(senders.map(async (waId) => (await contactOf(waId))[0]?.owner_id))
    const perAgent = agents.map((a) => owners.filter((o) => o === a).length)
    expect(perAgent).toEqual([3, 3, 3])
    const chats = await t.deps.sql<{ assignee_id: string; owner_id: string }[]>`
      select ch.assignee_id, c.owner_id from chats ch join contacts c on c.id = ch.contact_id where ch.account_id = 'PNID_BURST'`
    expect(chats).toHaveLength(9)
    for (const chat of chats) expect(chat.assignee_id).toBe(chat.owner_id)
  })

  it('store a message id once when it comes twice in one batch', async () => {
    const payload = waText({ waId: '447400720001', id: 'wamid.twice', text: 'once' })
    const results = await Promise.all([deliver(t, 'whatsapp', payload, { drain: false }), deliver(t, 'whatsapp', payload, { drain: false })])
    expect(results.map((r) => r.status)).toEqual([200, 200])
    await settleInbox(t.deps)
    expect(batchesWriting(['wamid.twice'])).toEqual([['wamid.twice', 'wamid.twice']])
    const [row] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from messages where external_id = 'wamid.twice'`
    expect(row?.n).toBe(1)
  })

  it('apply the others of a batch when one delivery fails, retry it with a backoff, hold its sender behind it, and keep it as dead', async () => {
    const at = (ms: number) => new Date(1_763_900_000_000 + ms)
    let now = at(0)
    const realNow = t.deps.now
    t.deps.now = () => now
    try {
      const sent = [
        waText({ waId: '447400730001', id: 'wamid.good1', text: 'one' }),
        waText({ waId: '447400730002', id: 'wamid.poison1', text: 'bad' }),
        waText({ waId: '447400730003', id: 'wamid.good2', text: 'two' }),
        waText({ waId: '447400730002', id: 'wamid.after-poison', text: 'later, same sender' }),
      ]
      for (const payload of sent) expect((await deliver(t, 'whatsapp', payload, { drain: false })).status).toBe(200)
      await settleInbox(t.deps)
      const stored = async () => (await t.deps.sql<{ external_id: string }[]>`
        select external_id from messages where external_id in ('wamid.good1', 'wamid.good2', 'wamid.poison1', 'wamid.after-poison') order by 1`).map((r) => r.external_id)
      expect(await stored()).toEqual(['wamid.good1', 'wamid.good2'])
      // Due again after its backoff; until it is dead, the same sender's later delivery waits behind it.
      for (let attempt = 2; attempt < MAX_ATTEMPTS; attempt++) {
        now = at(attempt * 200_000)
        await settleInbox(t.deps)
        expect(await stored()).toEqual(['wamid.good1', 'wamid.good2'])
      }
      // Its last attempt makes it dead, and its sender's later delivery goes in the same turn.
      now = at(MAX_ATTEMPTS * 200_000)
      await settleInbox(t.deps)
      expect(await stored()).toEqual(['wamid.after-poison', 'wamid.good1', 'wamid.good2'])
      const dead = await json<{ items: { id: string; channel: string; attempts: number; reason: string }[] }>(await t.call('GET', '/v1/inbox/dead'))
      expect(dead.items).toEqual([expect.objectContaining({ channel: 'whatsapp', attempts: MAX_ATTEMPTS, reason: 'the message could not be written' })])
      poisoned = false
      const id = dead.items[0]!.id
      expect((await t.call('POST', `/v1/inbox/dead/${id}/retry`)).status).toBe(202)
      expect((await t.call('POST', `/v1/inbox/dead/${id}/retry`)).status).toBe(404)
      await settleInbox(t.deps)
      expect(await stored()).toEqual(['wamid.after-poison', 'wamid.good1', 'wamid.good2', 'wamid.poison1'])
      expect((await json<{ items: unknown[] }>(await t.call('GET', '/v1/inbox/dead'))).items).toEqual([])
      const [left] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from inbox`
      expect(left?.n).toBe(0)
    } finally {
      t.deps.now = realNow
      poisoned = true
    }
  })

  it('store text with NUL characters, which PostgreSQL cannot hold, instead of refusing the delivery forever', async () => {
    const res = await deliver(t, 'whatsapp', waText({ waId: '447400740001', name: 'Nul\u0000Name', id: 'wamid.nul', text: 'a\u0000b' }))
    expect(res.status).toBe(200)
    const [row] = await t.deps.sql<{ text: string; name: string }[]>`
      select m.text, c.name from messages m join contacts c on c.id = m.contact_id where m.external_id = 'wamid.nul'`
    expect(row).toEqual({ text: 'a\uFFFDb', name: 'Nul\uFFFDName' })
  })
})

describe('a person whose contact was deleted', () => {
  it('gets one new contact when they write again, which keeps their channel id', async () => {
    const { messaging, textEvent } = await import('../helpers/meta.ts')
    const first = await deliver(t, 'messenger', messaging('page', 'PAGE_DEL', [textEvent({ from: 'psid-deleted-1', to: 'PAGE_DEL', mid: 'mid.del-1', text: 'hi' })]))
    expect(first.status).toBe(200)
    const [old] = await t.deps.sql<{ contact_id: string }[]>`select contact_id from identities where channel = 'messenger' and external_id = 'psid-deleted-1'`
    expect((await t.call('DELETE', `/v1/contacts/${old?.contact_id}`)).status).toBe(204)
    for (const mid of ['mid.del-2', 'mid.del-3']) {
      expect((await deliver(t, 'messenger', messaging('page', 'PAGE_DEL', [textEvent({ from: 'psid-deleted-1', to: 'PAGE_DEL', mid, text: 'back' })]))).status).toBe(200)
    }
    const owners = await t.deps.sql<{ contact_id: string }[]>`select distinct contact_id from messages where external_id in ('mid.del-2', 'mid.del-3')`
    expect(owners).toHaveLength(1)
    const [identity] = await t.deps.sql<{ contact_id: string }[]>`select contact_id from identities where channel = 'messenger' and external_id = 'psid-deleted-1'`
    expect(identity?.contact_id).toBe(owners[0]?.contact_id)
    expect(identity?.contact_id).not.toBe(old?.contact_id)
  })
})
