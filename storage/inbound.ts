import type { Channel, Preference } from '../domain/contact.ts'
import type { InboundEvent, InboundMessage, Sender } from '../domain/inbound/events.ts'
import { chooseAssignee, DELIVERY_ORDER } from '../domain/routing.ts'
import type { Sql, Tx } from './sql.ts'

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>
type StatusEvent = Extract<InboundEvent, { kind: 'status' }>
type EchoEvent = Extract<InboundEvent, { kind: 'echo' }>
type NumberChangedEvent = Extract<InboundEvent, { kind: 'number_changed' }>
type PreferenceEvent = Extract<InboundEvent, { kind: 'marketing_preference' }>

export type InboundContext = { newId: () => string; now: Date; defaultPreference: Preference }
export type Recorded = 'stored' | 'duplicate'

type FoundContact = { id: string; owner_id: string | null; name: string | null; mobile: string | null }

/**
 * Serializes all work on one person: every id and mobile spelling of the sender is an advisory lock key, taken
 * in sorted order so two transactions can never wait on each other. Fifty concurrent redeliveries of a first
 * message then queue up, and all but the first find the message already stored.
 */
async function lockSender(tx: Tx, channel: Channel, sender: Sender): Promise<void> {
  const keys = [
    ...sender.externalIds.map((id) => `${channel}:${id}`),
    ...(sender.mobile === null ? [] : [sender.mobile.e164, ...sender.mobile.variants].map((m) => `mobile:${m}`)),
  ].sort()
  for (const key of keys) await tx`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`
}

async function findSenderContact(tx: Tx, channel: Channel, sender: Sender): Promise<FoundContact | null> {
  const [byIdentity] = await tx<FoundContact[]>`
    select c.id, c.owner_id, c.name, c.mobile from identities i join contacts c on c.id = i.contact_id
    where i.channel = ${channel} and i.external_id in ${tx(sender.externalIds)} and c.active
    order by array_position(${sender.externalIds}::text[], i.external_id) limit 1`
  if (byIdentity !== undefined) return byIdentity
  if (sender.mobile === null) return null
  // A contact entered by hand, imported or pushed by a CRM gets the identity linked instead of a twin.
  const spellings = [sender.mobile.e164, ...sender.mobile.variants]
  const [byMobile] = await tx<FoundContact[]>`
    select id, owner_id, name, mobile from contacts
    where active and (mobile in ${tx(spellings)} or other_mobiles && ${spellings}::text[])
    order by (mobile = ${sender.mobile.e164}) desc, created_at limit 1`
  return byMobile ?? null
}

async function assignChat(tx: Tx, channel: Channel, accountId: string, ownerId: string | null): Promise<string | null> {
  await tx`insert into inboxes (channel, account_id) values (${channel}, ${accountId}) on conflict do nothing`
  const [inbox] = await tx<{ rr_counter: string }[]>`
    select rr_counter from inboxes where channel = ${channel} and account_id = ${accountId} for update`
  const members = await tx<{ user_id: string }[]>`
    select m.user_id from inbox_members m join users u on u.id = m.user_id and u.active
    where m.channel = ${channel} and m.account_id = ${accountId} order by m.user_id`
  const admins = members.length > 0 ? [] : await tx<{ id: string }[]>`select id from users where role = 'admin' and active order by id`
  const choice = chooseAssignee({ ownerId, members: members.map((m) => m.user_id), admins: admins.map((a) => a.id), turn: Number(inbox?.rr_counter ?? 0) })
  if (choice.usedTurn) await tx`update inboxes set rr_counter = rr_counter + 1 where channel = ${channel} and account_id = ${accountId}`
  return choice.assigneeId
}

async function createContact(tx: Tx, channel: Channel, sender: Sender, ownerId: string | null, ctx: InboundContext): Promise<FoundContact> {
  const id = ctx.newId()
  const country = sender.mobile?.country ?? null
  await tx`insert into contacts ${tx({
    id, name: sender.name, mobile: sender.mobile?.e164 ?? null, country, country_source: country === null ? null : 'detected',
    owner_id: ownerId, preference: ctx.defaultPreference, source: 'incoming', created_at: ctx.now, updated_at: ctx.now,
  })}`
  return { id, owner_id: ownerId, name: sender.name, mobile: sender.mobile?.e164 ?? null }
}

/** Links the sender's ids to the contact and fills what the contact lacks; a name from a profile never overwrites one. */
async function enrichContact(tx: Tx, channel: Channel, contact: FoundContact, sender: Sender, now: Date): Promise<void> {
  for (const externalId of sender.externalIds) {
    await tx`insert into identities (channel, external_id, contact_id) values (${channel}, ${externalId}, ${contact.id}) on conflict do nothing`
  }
  if (contact.name === null && sender.name !== null) {
    await tx`update contacts set name = ${sender.name}, updated_at = ${now} where id = ${contact.id} and name is null`
  }
  if (contact.mobile === null && sender.mobile !== null) {
    const taken = await tx`select 1 from contacts where active and mobile = ${sender.mobile.e164}`
    if (taken.length === 0) {
      await tx`update contacts set mobile = ${sender.mobile.e164}, updated_at = ${now},
                 country = case when country_source = 'entered' then country else ${sender.mobile.country} end,
                 country_source = case when country_source = 'entered' then country_source
                                       when ${sender.mobile.country}::text is null then null else 'detected' end
               where id = ${contact.id}`
    }
  }
}

async function findOrCreateSender(tx: Tx, channel: Channel, accountId: string, sender: Sender, ctx: InboundContext) {
  let contact = await findSenderContact(tx, channel, sender)
  let assignee: string | null | undefined
  if (contact === null) {
    // The agent who receives the first chat owns the contact it creates.
    assignee = await assignChat(tx, channel, accountId, null)
    contact = await createContact(tx, channel, sender, assignee, ctx)
  }
  await enrichContact(tx, channel, contact, sender, ctx.now)
  return { contact, assignee }
}

async function openChat(tx: Tx, channel: Channel, accountId: string, contact: FoundContact, assignee: string | null | undefined, at: Date, ctx: InboundContext): Promise<string> {
  const [existing] = await tx<{ id: string }[]>`
    update chats set last_message_at = greatest(last_message_at, ${at})
    where contact_id = ${contact.id} and channel = ${channel} and account_id = ${accountId} returning id`
  if (existing !== undefined) return existing.id
  const assigneeId = assignee !== undefined ? assignee : await assignChat(tx, channel, accountId, contact.owner_id)
  const id = ctx.newId()
  await tx`insert into chats ${tx({ id, contact_id: contact.id, channel, account_id: accountId, assignee_id: assigneeId, created_at: ctx.now, last_message_at: at })}`
  return id
}

async function insertMessage(tx: Tx, channel: Channel, direction: 'inbound' | 'outbound', m: InboundMessage, refs: { contactId: string | null; chatId: string | null; accountId: string }, ctx: InboundContext): Promise<boolean> {
  const rows = await tx`
    insert into messages ${tx({
      id: ctx.newId(), channel, external_id: m.externalId, direction, contact_id: refs.contactId, chat_id: refs.chatId,
      account_id: refs.accountId, type: m.type, text: m.text, raw: tx.json(m.raw as Parameters<typeof tx.json>[0]), sent_at: m.sentAt,
      status: direction === 'outbound' ? 'sent' : null,
    })}
    on conflict (channel, external_id) do nothing returning id`
  return rows.length === 1
}

async function touchWindow(tx: Tx, contactId: string, channel: Channel, accountId: string, at: Date): Promise<void> {
  await tx`
    insert into contact_channels (contact_id, channel, last_inbound_at, last_inbound_account)
    values (${contactId}, ${channel}, ${at}, ${accountId})
    on conflict (contact_id, channel) do update set
      last_inbound_account = case when excluded.last_inbound_at >= contact_channels.last_inbound_at
                                  then excluded.last_inbound_account else contact_channels.last_inbound_account end,
      last_inbound_at = greatest(contact_channels.last_inbound_at, excluded.last_inbound_at)`
}

async function recordConsent(tx: Tx, contactId: string, channel: Channel, kind: 'stop_keyword' | 'marketing_stop' | 'marketing_resume', detail: string | null, externalId: string, at: Date, ctx: InboundContext): Promise<void> {
  await tx`insert into consent_events ${tx({ id: ctx.newId(), contact_id: contactId, channel, kind, detail, external_id: externalId, at })}
           on conflict (channel, kind, external_id) do nothing`
  if (kind === 'marketing_resume') {
    await tx`update contacts set marketing_opt_out = false, updated_at = ${ctx.now} where id = ${contactId}`
  } else {
    await tx`update contacts set preference = 'reactive', marketing_opt_out = ${kind === 'marketing_stop'} or marketing_opt_out, updated_at = ${ctx.now} where id = ${contactId}`
  }
}

/** One incoming message: contact (found, linked or created), chat, message, messaging window, opt-outs. */
export async function recordInboundMessage(sql: Sql, e: MessageEvent, ctx: InboundContext): Promise<Recorded> {
  return sql.begin(async (tx) => {
    await lockSender(tx, e.channel, e.sender)
    const seen = await tx`select 1 from messages where channel = ${e.channel} and external_id = ${e.message.externalId}`
    if (seen.length > 0) return 'duplicate'
    const { contact, assignee } = await findOrCreateSender(tx, e.channel, e.accountId, e.sender, ctx)
    const chatId = await openChat(tx, e.channel, e.accountId, contact, assignee, e.message.sentAt, ctx)
    await insertMessage(tx, e.channel, 'inbound', e.message, { contactId: contact.id, chatId, accountId: e.accountId }, ctx)
    await touchWindow(tx, contact.id, e.channel, e.accountId, e.message.sentAt)
    if (e.stopKeyword) await recordConsent(tx, contact.id, e.channel, 'stop_keyword', e.message.text, e.message.externalId, e.message.sentAt, ctx)
    return 'stored'
  })
}

/** A receipt moves an outbound message's status forward; it never creates anything. */
export async function applyDeliveryStatus(sql: Sql, e: StatusEvent): Promise<boolean> {
  const rows = await sql`
    update messages set status = ${e.status}, status_at = ${e.at},
      error = ${e.error === null ? null : sql.json(e.error)}
    where channel = ${e.channel} and external_id = ${e.messageId} and direction = 'outbound'
      and coalesce(array_position(${DELIVERY_ORDER as unknown as string[]}::text[], status), 0)
          < array_position(${DELIVERY_ORDER as unknown as string[]}::text[], ${e.status}::text)
    returning id`
  return rows.length === 1
}

/** Our own message echoed back: stored as outbound against the recipient if we know them; never a new contact. */
export async function recordEcho(sql: Sql, e: EchoEvent, ctx: InboundContext): Promise<Recorded> {
  return sql.begin(async (tx) => {
    const [known] = await tx<{ contact_id: string }[]>`
      select contact_id from identities where channel = ${e.channel} and external_id = ${e.recipientId}`
    const stored = await insertMessage(tx, e.channel, 'outbound', e.message, { contactId: known?.contact_id ?? null, chatId: null, accountId: e.accountId }, ctx)
    return stored ? 'stored' : 'duplicate'
  })
}

/** WhatsApp's user_changed_number: the same contact moves to the new number and id. */
export async function recordNumberChange(sql: Sql, e: NumberChangedEvent, ctx: InboundContext): Promise<Recorded> {
  return sql.begin(async (tx) => {
    await lockSender(tx, e.channel, { ...e.from, externalIds: [...e.from.externalIds, ...e.to.externalIds] })
    const seen = await tx`select 1 from messages where channel = ${e.channel} and external_id = ${e.message.externalId}`
    if (seen.length > 0) return 'duplicate'
    const contact = (await findSenderContact(tx, e.channel, e.from)) ?? (await findOrCreateSender(tx, e.channel, e.accountId, e.to, ctx)).contact
    const oldIds = e.from.externalIds.filter((id) => !e.to.externalIds.includes(id))
    if (oldIds.length > 0) await tx`delete from identities where channel = ${e.channel} and contact_id = ${contact.id} and external_id in ${tx(oldIds)}`
    for (const externalId of e.to.externalIds) {
      await tx`insert into identities (channel, external_id, contact_id) values (${e.channel}, ${externalId}, ${contact.id})
               on conflict (channel, external_id) do update set contact_id = excluded.contact_id`
    }
    if (e.to.mobile !== null) {
      const taken = await tx`select 1 from contacts where active and mobile = ${e.to.mobile.e164} and id <> ${contact.id}`
      if (taken.length === 0) {
        await tx`update contacts set mobile = ${e.to.mobile.e164}, updated_at = ${ctx.now},
                   country = case when country_source = 'entered' then country else ${e.to.mobile.country} end,
                   country_source = case when country_source = 'entered' then country_source
                                         when ${e.to.mobile.country}::text is null then null else 'detected' end
                 where id = ${contact.id}`
      }
    }
    const chatId = await openChat(tx, e.channel, e.accountId, contact, undefined, e.message.sentAt, ctx)
    await insertMessage(tx, e.channel, 'inbound', e.message, { contactId: contact.id, chatId, accountId: e.accountId }, ctx)
    return 'stored'
  })
}

/** WhatsApp user_preferences: a marketing stop makes the contact reactive; both directions are recorded. */
export async function recordMarketingPreference(sql: Sql, e: PreferenceEvent, ctx: InboundContext): Promise<Recorded> {
  return sql.begin(async (tx) => {
    await lockSender(tx, e.channel, e.sender)
    const { contact } = await findOrCreateSender(tx, e.channel, e.accountId, e.sender, ctx)
    const seen = await tx`select 1 from consent_events where channel = ${e.channel} and external_id = ${e.externalId}`
    if (seen.length > 0) return 'duplicate'
    await recordConsent(tx, contact.id, e.channel, e.value === 'stop' ? 'marketing_stop' : 'marketing_resume', e.detail, e.externalId, e.at, ctx)
    return 'stored'
  })
}
