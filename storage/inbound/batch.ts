import type { Channel } from '../../domain/contact.ts'
import type { InboundEvent, Sender } from '../../domain/inbound/events.ts'
import { chooseAssignee } from '../../domain/routing.ts'
import { keepLatestWindow, recordConsent, retryOnContactClash, senderKeys, setMobile, spellings, type InboundContext, type Recorded } from './events.ts'
import { takeOverInactiveIdentity } from '../identities.ts'
import { lockOrder } from '../key-locks.ts'
import type { Sql, Tx } from '../sql.ts'

export type MessageEvent = Extract<InboundEvent, { kind: 'message' }>

type LookupRow = {
  ord: number; found_seen: boolean; found_id: string | null; found_owner_id: string | null; found_name: string | null
  found_mobile: string | null; found_chat_id: string | null; members: string[]; admins: string[]
}

type ContactState = { id: string; ownerId: string | null; name: string | null; mobile: string | null; isNew: boolean; sender: Sender }
type ChatState = {
  id: string; contact: ContactState; channel: Channel; accountId: string; lastAt: Date
  /** Set for chats this batch opens. */
  open: { members: string[]; admins: string[]; assigneeId: string | null } | null
}
type WindowRow = { contact_id: string; channel: Channel; last_inbound_at: string; last_inbound_account: string }

/**
 * Every inbound message of a batch, in one transaction and a handful of round trips whatever its size: one takes
 * the locks of all senders (sorted, as every writer takes them) and looks every message up, one hands out
 * round-robin turns when new chats need them, one writes all rows set by set. Messages are resolved in the order
 * given, so a sender who is new in this batch gets one contact and one chat however many messages they sent,
 * and a message id seen twice is stored once. Returns, per event, whether it was stored or a duplicate.
 */
export async function recordInboundMessageBatch(sql: Sql, events: readonly MessageEvent[], ctx: InboundContext): Promise<Recorded[]> {
  return retryOnContactClash(() => sql.begin(async (tx) => {
    const lockKeys = lockOrder(events.flatMap((e) => senderKeys(e.channel, e.sender)))
    const lookups = await tx<LookupRow[]>`
      select * from inbound_lookup_batch(${tx.json(events.map((e, ord) => ({
        ord, channel: e.channel, account_id: e.accountId, ids: e.sender.externalIds, mobiles: spellings(e.sender), message_id: e.message.externalId,
      })))}, ${lockKeys}::text[])`
    const byOrd = new Map(lookups.map((row) => [row.ord, row]))
    const plan = resolve(events, (ord) => {
      const row = byOrd.get(ord)
      if (row === undefined) throw new Error(`inbound_lookup_batch returned no row for event ${ord}`)
      return row
    }, ctx)
    await assignNewChats(tx, plan.chats)
    await write(tx, plan, ctx)
    for (const stop of plan.stops) {
      await recordConsent(tx, stop.contact.id, stop.event.channel, 'stop_keyword', stop.event.message.text, stop.event.message.externalId, stop.event.message.sentAt, ctx)
    }
    return plan.results
  }))
}

type Plan = {
  results: Recorded[]
  contacts: ContactState[]
  chats: ChatState[]
  identities: { channel: Channel; external_id: string; contact_id: string }[]
  messages: Record<string, unknown>[]
  windows: Map<string, WindowRow>
  names: Map<string, string>
  mobiles: Map<string, NonNullable<Sender['mobile']>>
  stops: { event: MessageEvent; contact: ContactState }[]
}

function resolve(events: readonly MessageEvent[], lookupOf: (ord: number) => LookupRow, ctx: InboundContext): Plan {
  const plan: Plan = { results: [], contacts: [], chats: [], identities: [], messages: [], windows: new Map(), names: new Map(), mobiles: new Map(), stops: [] }
  const contactsByKey = new Map<string, ContactState>()
  const contactsById = new Map<string, ContactState>()
  const chatsByKey = new Map<string, ChatState>()
  const seenMessages = new Set<string>()
  const seenIdentities = new Set<string>()

  events.forEach((e, ord) => {
    const row = lookupOf(ord)
    const messageKey = `${e.channel}:${e.message.externalId}`
    if (row.found_seen || seenMessages.has(messageKey)) {
      plan.results.push('duplicate')
      return
    }
    seenMessages.add(messageKey)

    // A person met earlier in this batch comes first: the lookup ran before any of the batch was written.
    const keys = senderKeys(e.channel, e.sender)
    let contact = keys.map((k) => contactsByKey.get(k)).find((c) => c !== undefined)
    if (contact === undefined && row.found_id !== null) {
      contact = contactsById.get(row.found_id) ?? { id: row.found_id, ownerId: row.found_owner_id, name: row.found_name, mobile: row.found_mobile, isNew: false, sender: e.sender }
    }
    if (contact === undefined) {
      contact = { id: ctx.newId(), ownerId: null, name: e.sender.name, mobile: e.sender.mobile?.e164 ?? null, isNew: true, sender: e.sender }
      plan.contacts.push(contact)
    }
    contactsById.set(contact.id, contact)
    for (const id of e.sender.externalIds) {
      if (!contactsByKey.has(`${e.channel}:${id}`)) contactsByKey.set(`${e.channel}:${id}`, contact)
      if (!seenIdentities.has(`${e.channel}:${id}`)) {
        seenIdentities.add(`${e.channel}:${id}`)
        plan.identities.push({ channel: e.channel, external_id: id, contact_id: contact.id })
      }
    }
    if (contact.isNew) for (const m of spellings(e.sender)) if (!contactsByKey.has(`mobile:${m}`)) contactsByKey.set(`mobile:${m}`, contact)
    if (!contact.isNew && contact.name === null && e.sender.name !== null) {
      contact.name = e.sender.name
      plan.names.set(contact.id, e.sender.name)
    }
    // A contact found without a mobile (by a business-scoped id, say) takes the sender's.
    if (!contact.isNew && contact.mobile === null && e.sender.mobile !== null) {
      contact.mobile = e.sender.mobile.e164
      plan.mobiles.set(contact.id, e.sender.mobile)
    }

    const at = e.message.sentAt
    const chatKey = `${contact.id}|${e.channel}|${e.accountId}`
    let chat = chatsByKey.get(chatKey)
    if (chat === undefined) {
      const existing = row.found_id === contact.id ? row.found_chat_id : null
      chat = { id: existing ?? ctx.newId(), contact, channel: e.channel, accountId: e.accountId, lastAt: at, open: existing === null ? { members: row.members, admins: row.admins, assigneeId: null } : null }
      chatsByKey.set(chatKey, chat)
      plan.chats.push(chat)
    } else if (at > chat.lastAt) chat.lastAt = at

    plan.messages.push({
      id: ctx.newId(), channel: e.channel, external_id: e.message.externalId, contact_id: contact.id, chat_id: chat.id, account_id: e.accountId,
      type: e.message.type, text: e.message.text, raw: e.message.raw, sent_at: at.toISOString(),
    })
    const windowKey = `${contact.id}|${e.channel}`
    const window = plan.windows.get(windowKey)
    if (window === undefined || at.toISOString() >= window.last_inbound_at) {
      plan.windows.set(windowKey, { contact_id: contact.id, channel: e.channel, last_inbound_at: at.toISOString(), last_inbound_account: e.accountId })
    }
    if (e.stopKeyword) plan.stops.push({ event: e, contact })
    plan.results.push('stored')
  })
  return plan
}

/**
 * Routes the chats this batch opens, in order: to the contact's owner when they work the inbox, otherwise by the
 * inbox's turns, fetched in one round trip. A new contact is owned by whoever receives its first chat.
 */
async function assignNewChats(tx: Tx, chats: ChatState[]): Promise<void> {
  const opening = chats.filter((c) => c.open !== null)
  const turnsWanted = new Map<string, { channel: Channel; accountId: string; count: number }>()
  for (const chat of opening) {
    const open = chat.open as NonNullable<ChatState['open']>
    // Owners of contacts new in this batch are not known yet: counting them as turns may leave one unused.
    if (chooseAssignee({ ownerId: chat.contact.ownerId, members: open.members, admins: open.admins, turn: 0 }).usedTurn) {
      const key = `${chat.channel}|${chat.accountId}`
      const wanted = turnsWanted.get(key) ?? { channel: chat.channel, accountId: chat.accountId, count: 0 }
      wanted.count++
      turnsWanted.set(key, wanted)
    }
  }
  const turns = new Map<string, number[]>()
  if (turnsWanted.size > 0) {
    // Each inbox's counter row stays locked until commit: taken in one order, two batches never wait in a cycle.
    const wanted = [...turnsWanted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w)
    const rows = await tx<{ channel: string; account_id: string; count: number; first: string }[]>`
      select t.channel, t.account_id, t.count, inbox_turns(t.channel, t.account_id, t.count) as first
      from unnest(${wanted.map((w) => w.channel)}::text[], ${wanted.map((w) => w.accountId)}::text[], ${wanted.map((w) => w.count)}::int[])
           with ordinality as t(channel, account_id, count, ord)
      order by t.ord`
    for (const row of rows) {
      turns.set(`${row.channel}|${row.account_id}`, Array.from({ length: row.count }, (_, i) => Number(row.first) + i))
    }
  }
  for (const chat of opening) {
    const open = chat.open as NonNullable<ChatState['open']>
    const inboxTurns = turns.get(`${chat.channel}|${chat.accountId}`) ?? []
    const people = { ownerId: chat.contact.ownerId, members: open.members, admins: open.admins }
    const first = chooseAssignee({ ...people, turn: 0 })
    const assignment = first.usedTurn ? chooseAssignee({ ...people, turn: inboxTurns.shift() ?? 0 }) : first
    open.assigneeId = assignment.assigneeId
    if (chat.contact.isNew && chat.contact.ownerId === null) chat.contact.ownerId = assignment.assigneeId
  }
}

async function write(tx: Tx, plan: Plan, ctx: InboundContext): Promise<void> {
  const now = ctx.now.toISOString()
  const inboxes = [...new Map(plan.chats.filter((c) => c.open !== null).map((c) => [`${c.channel}|${c.accountId}`, { channel: c.channel, account_id: c.accountId }])).values()]
  const contacts = plan.contacts.map((c) => {
    const country = c.sender.mobile?.country ?? null
    return { id: c.id, name: c.name, mobile: c.mobile, country, country_source: country === null ? null : 'detected', owner_id: c.ownerId }
  })
  const openChats = plan.chats.flatMap((c) => (c.open === null ? [] : [{
    id: c.id, contact_id: c.contact.id, channel: c.channel, account_id: c.accountId, assignee_id: c.open.assigneeId, last_message_at: c.lastAt.toISOString(),
  }]))
  const touchedChats = plan.chats.flatMap((c) => (c.open === null ? [{ id: c.id, at: c.lastAt.toISOString() }] : []))
  const names = [...plan.names].map(([id, name]) => ({ id, name }))
  // Foreign keys between these rows are checked at the end of the statement, so the order of the parts does not matter.
  await tx`
    with inboxes_ as (
           insert into inboxes (channel, account_id)
           select x.channel, x.account_id from jsonb_to_recordset(${tx.json(inboxes)}) as x(channel text, account_id text)
           on conflict do nothing),
         contacts_ as (
           insert into contacts (id, name, mobile, country, country_source, owner_id, preference, source, created_at, updated_at)
           select x.id, x.name, x.mobile, x.country, x.country_source, x.owner_id, ${ctx.defaultPreference}, 'incoming', ${now}::timestamptz, ${now}::timestamptz
           from jsonb_to_recordset(${tx.json(contacts)}) as x(id uuid, name text, mobile text, country text, country_source text, owner_id uuid)),
         names_ as (
           update contacts c set name = x.name, updated_at = ${now}::timestamptz
           from jsonb_to_recordset(${tx.json(names)}) as x(id uuid, name text)
           where c.id = x.id and c.name is null),
         identities_ as (
           insert into identities (channel, external_id, contact_id)
           select x.channel, x.external_id, x.contact_id from jsonb_to_recordset(${tx.json(plan.identities)}) as x(channel text, external_id text, contact_id uuid)
           ${takeOverInactiveIdentity(tx)}),
         chats_opened as (
           insert into chats (id, contact_id, channel, account_id, assignee_id, created_at, last_message_at)
           select x.id, x.contact_id, x.channel, x.account_id, x.assignee_id, ${now}::timestamptz, x.last_message_at
           from jsonb_to_recordset(${tx.json(openChats)}) as x(id uuid, contact_id uuid, channel text, account_id text, assignee_id uuid, last_message_at timestamptz)),
         chats_touched as (
           update chats ch set last_message_at = greatest(ch.last_message_at, x.at)
           from jsonb_to_recordset(${tx.json(touchedChats)}) as x(id uuid, at timestamptz)
           where ch.id = x.id),
         messages_ as (
           insert into messages (id, channel, external_id, direction, contact_id, chat_id, account_id, type, text, raw, sent_at)
           select x.id, x.channel, x.external_id, 'inbound', x.contact_id, x.chat_id, x.account_id, x.type, x.text, x.raw, x.sent_at
           from jsonb_to_recordset(${tx.json(plan.messages as Parameters<typeof tx.json>[0])})
             as x(id uuid, channel text, external_id text, contact_id uuid, chat_id uuid, account_id text, type text, text text, raw jsonb, sent_at timestamptz)
           on conflict (channel, external_id) do nothing),
         windows_ as (
           insert into contact_channels (contact_id, channel, last_inbound_at, last_inbound_account)
           select x.contact_id, x.channel, x.last_inbound_at, x.last_inbound_account
           from jsonb_to_recordset(${tx.json([...plan.windows.values()])}) as x(contact_id uuid, channel text, last_inbound_at timestamptz, last_inbound_account text)
           ${keepLatestWindow(tx)})
    select 1`
  for (const [contactId, mobile] of plan.mobiles) await setMobile(tx, contactId, mobile, ctx.now)
}
