import type { Channel, Preference } from '../../domain/contact.ts'
import type { InboundEvent, InboundMessage, Sender } from '../../domain/inbound/events.ts'
import { chooseAssignee, DELIVERY_ORDER } from '../../domain/routing.ts'
import { takeOverInactiveIdentity } from '../identities.ts'
import { lockOrder } from '../key-locks.ts'
import { idKey, mobileKey } from '../../domain/person-keys.ts'
import type { Fragment, Queryable, Sql, Tx } from '../sql.ts'

type MessageEvent = Extract<InboundEvent, { kind: 'message' }>
type StatusEvent = Extract<InboundEvent, { kind: 'status' }>
type EchoEvent = Extract<InboundEvent, { kind: 'echo' }>
type NumberChangedEvent = Extract<InboundEvent, { kind: 'number_changed' }>
type PreferenceEvent = Extract<InboundEvent, { kind: 'marketing_preference' }>

export type InboundContext = { newId: () => string; now: Date; defaultPreference: Preference }
export type Recorded = 'stored' | 'duplicate'

type FoundContact = { id: string; owner_id: string | null; name: string | null; mobile: string | null }
type Lookup = { seen: boolean; contact: FoundContact | null; chatId: string | null }

export function spellings(sender: Sender): string[] {
  return sender.mobile === null ? [] : [sender.mobile.e164, ...sender.mobile.variants]
}

/**
 * The advisory lock keys that serialize all work on one person: every id and mobile spelling. inbound_lookup
 * takes them in sorted order, so two transactions never wait on each other, and fifty concurrent redeliveries
 * of a first message queue up there: all but the first then find the message already stored.
 */
export function senderKeys(channel: Channel, s: Sender): string[] {
  return [...s.externalIds.map((id) => idKey(channel, id)), ...spellings(s).map(mobileKey)]
}

/**
 * In one round trip (storage/migrations/005): takes the advisory locks on `lockKeys`, then reads whether the
 * message is stored already, the sender's contact (by channel id first, then by any spelling of the mobile: a
 * contact entered by hand, imported or pushed by a CRM is linked, not doubled) and its chat in this inbox.
 */
async function lookUp(tx: Tx, channel: Channel, accountId: string, sender: Sender, messageId: string | null, lockKeys: string[] = []): Promise<Lookup> {
  const [row] = await tx<{ found_seen: boolean; found_id: string | null; found_owner_id: string | null; found_name: string | null; found_mobile: string | null; found_chat_id: string | null }[]>`
    select * from inbound_lookup(${channel}, ${accountId}, ${sender.externalIds}::text[], ${spellings(sender)}::text[], ${messageId}::text, ${lockOrder(lockKeys)}::text[])`
  const contact = row?.found_id == null ? null : { id: row.found_id, owner_id: row.found_owner_id, name: row.found_name, mobile: row.found_mobile }
  return { seen: row?.found_seen === true, contact, chatId: row?.found_chat_id ?? null }
}

const CLASH_ATTEMPTS = 5

function isContactClash(error: unknown): boolean {
  const e = typeof error === 'object' && error !== null ? (error as { code?: unknown; constraint_name?: unknown }) : {}
  return e.code === '23505' && (e.constraint_name === 'contacts_mobile_unique' || e.constraint_name === 'contacts_email_unique')
}

/**
 * Runs inbound work again when it clashed on a contact's unique mobile: a writer that takes no per-person locks
 * (an import batch, a hand-made contact) created that person between the lookup and the write, so the contact
 * exists now and the next lookup links to it instead of answering 500.
 */
export async function retryOnContactClash<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= CLASH_ATTEMPTS || !isContactClash(error)) throw error
    }
  }
}

/** Picks who gets a new chat: the owner when they work this inbox, otherwise the inbox's next turn. */
async function route(tx: Tx, channel: Channel, accountId: string, ownerId: string | null) {
  await tx`insert into inboxes (channel, account_id) values (${channel}, ${accountId}) on conflict do nothing`
  const [row] = await tx<{ members: string[]; admins: string[] }[]>`
    select coalesce((select array_agg(m.user_id::text order by m.user_id) from inbox_members m join users u on u.id = m.user_id and u.active
                     where m.channel = ${channel} and m.account_id = ${accountId}), '{}') as members,
           coalesce((select array_agg(id::text order by id) from users where role = 'admin' and active), '{}') as admins`
  const people = { ownerId, members: row?.members ?? [], admins: row?.admins ?? [] }
  const withoutTurn = chooseAssignee({ ...people, turn: 0 })
  if (!withoutTurn.usedTurn) return withoutTurn
  const [turn] = await tx<{ n: string }[]>`select inbox_turn(${channel}, ${accountId}) as n`
  return chooseAssignee({ ...people, turn: Number(turn?.n ?? 0) })
}

type Writes = {
  channel: Channel
  accountId: string
  contactId: string
  sender: Sender
  message: InboundMessage | null
  /** A chat to open, or the id of the one to touch. */
  chat: { open: true; id: string; assigneeId: string | null } | { open: false; id: string }
  /** Set when the contact is new. */
  newContact: { ownerId: string | null; preference: Preference } | null
}

/**
 * The conflict clause for recording an inbound message's time: deliveries come out of order, so the window keeps
 * the latest time and the account written to then.
 */
export function keepLatestWindow(sql: Queryable): Fragment {
  return sql`on conflict (contact_id, channel) do update set
    last_inbound_account = case when excluded.last_inbound_at >= contact_channels.last_inbound_at
                                then excluded.last_inbound_account else contact_channels.last_inbound_account end,
    last_inbound_at = greatest(contact_channels.last_inbound_at, excluded.last_inbound_at)`
}

/**
 * Everything one inbound message changes, in one statement: the contact (when new), its ids, the chat, the
 * message and the messaging window. Foreign keys between these rows are checked at
 * the end of the statement, so the order of the parts does not matter.
 */
async function write(tx: Tx, w: Writes, ctx: InboundContext): Promise<void> {
  const at = w.message?.sentAt ?? ctx.now
  const country = w.sender.mobile?.country ?? null
  const contact = w.newContact === null
    ? tx`update contacts set name = ${w.sender.name}, updated_at = ${ctx.now}
         where id = ${w.contactId} and name is null and ${w.sender.name}::text is not null`
    : tx`insert into contacts ${tx({
        id: w.contactId, name: w.sender.name, mobile: w.sender.mobile?.e164 ?? null, country, country_source: country === null ? null : 'detected',
        owner_id: w.newContact.ownerId, preference: w.newContact.preference, source: 'incoming', created_at: ctx.now, updated_at: ctx.now,
      })}`
  const chat = w.chat.open
    ? tx`insert into chats ${tx({ id: w.chat.id, contact_id: w.contactId, channel: w.channel, account_id: w.accountId, assignee_id: w.chat.assigneeId, created_at: ctx.now, last_message_at: at })}`
    : tx`update chats set last_message_at = greatest(last_message_at, ${at}) where id = ${w.chat.id}`
  const message = w.message === null
    ? tx`select 1`
    : tx`insert into messages ${tx({
        id: ctx.newId(), channel: w.channel, external_id: w.message.externalId, direction: 'inbound', contact_id: w.contactId, chat_id: w.chat.id,
        account_id: w.accountId, type: w.message.type, text: w.message.text, raw: tx.json(w.message.raw as Parameters<typeof tx.json>[0]), sent_at: w.message.sentAt,
      })} on conflict (channel, external_id) do nothing`
  const window = w.message === null
    ? tx`select 1`
    : tx`insert into contact_channels (contact_id, channel, last_inbound_at, last_inbound_account)
         values (${w.contactId}, ${w.channel}, ${at}, ${w.accountId})
         ${keepLatestWindow(tx)}`
  await tx`
    with contact as (${contact}),
         ids as (insert into identities (channel, external_id, contact_id)
                 select ${w.channel}, x, ${w.contactId} from unnest(${w.sender.externalIds}::text[]) as x
                 ${takeOverInactiveIdentity(tx)}),
         chat as (${chat}),
         message as (${message}),
         window_ as (${window})
    select 1`
}

/**
 * Gives the contact this mobile unless another active contact holds it; an entered country stays, a detected one
 * follows the number.
 */
export async function setMobile(tx: Tx, contactId: string, mobile: NonNullable<Sender['mobile']>, now: Date): Promise<void> {
  await tx`
    update contacts set mobile = ${mobile.e164}, updated_at = ${now},
      country = case when country_source = 'entered' then country else ${mobile.country} end,
      country_source = case when country_source = 'entered' then country_source
                            when ${mobile.country}::text is null then null else 'detected' end
    where id = ${contactId} and not exists (select 1 from contacts where active and mobile = ${mobile.e164} and id <> ${contactId})`
}

/** Finds or creates the sender's contact and chat and writes the message; returns the contact id. */
async function ingest(tx: Tx, channel: Channel, accountId: string, sender: Sender, message: InboundMessage | null, ctx: InboundContext, lockKeys: string[] = []): Promise<{ contactId: string } | 'duplicate'> {
  const found = await lookUp(tx, channel, accountId, sender, message?.externalId ?? null, lockKeys)
  if (found.seen) return 'duplicate'
  let chat: Writes['chat']
  if (found.chatId !== null) chat = { open: false, id: found.chatId }
  else {
    // A new contact's owner is the agent who receives its first chat; a returning one's chat goes to its owner.
    const { assigneeId } = await route(tx, channel, accountId, found.contact?.owner_id ?? null)
    chat = { open: true, id: ctx.newId(), assigneeId }
  }
  const contactId = found.contact?.id ?? ctx.newId()
  const newContact = found.contact === null ? { ownerId: chat.open ? chat.assigneeId : null, preference: ctx.defaultPreference } : null
  await write(tx, { channel, accountId, contactId, sender, message, chat, newContact }, ctx)
  // A contact found without a mobile (by a business-scoped id, say) takes the sender's.
  if (found.contact !== null && found.contact.mobile === null && sender.mobile !== null) await setMobile(tx, found.contact.id, sender.mobile, ctx.now)
  return { contactId }
}

export async function recordConsent(tx: Tx, contactId: string, channel: Channel, kind: 'stop_keyword' | 'marketing_stop' | 'marketing_resume', detail: string | null, externalId: string, at: Date, ctx: InboundContext): Promise<void> {
  await tx`insert into consent_events ${tx({ id: ctx.newId(), contact_id: contactId, channel, kind, detail, external_id: externalId, at })}
           on conflict (channel, kind, external_id) do nothing`
  if (kind === 'marketing_resume') {
    await tx`update contacts set marketing_opt_out = false, updated_at = ${ctx.now} where id = ${contactId}`
  } else {
    await tx`update contacts set preference = 'reactive', marketing_opt_out = ${kind === 'marketing_stop'} or marketing_opt_out, updated_at = ${ctx.now} where id = ${contactId}`
  }
}

/** A receipt moves an outbound message's status forward; it never creates anything. */
export async function applyDeliveryStatus(sql: Sql, e: StatusEvent): Promise<boolean> {
  const order = [...DELIVERY_ORDER]
  const rows = await sql`
    update messages set status = ${e.status}, status_at = ${e.at}, error = ${e.error === null ? null : sql.json(e.error)}
    where channel = ${e.channel} and external_id = ${e.messageId} and direction = 'outbound'
      and coalesce(array_position(${order}::text[], status), 0) < array_position(${order}::text[], ${e.status}::text)
    returning id`
  return rows.length === 1
}

/** Our own message echoed back: stored as outbound against the recipient if we know them; never a new contact. */
export async function recordEcho(sql: Sql, e: EchoEvent, ctx: InboundContext): Promise<Recorded> {
  const rows = await sql`
    insert into messages (id, channel, external_id, direction, contact_id, account_id, type, text, raw, status, sent_at)
    select ${ctx.newId()}, ${e.channel}, ${e.message.externalId}, 'outbound',
           (select contact_id from identities where channel = ${e.channel} and external_id = ${e.recipientId}),
           ${e.accountId}, ${e.message.type}, ${e.message.text}, ${sql.json(e.message.raw as Parameters<typeof sql.json>[0])}, 'sent', ${e.message.sentAt}
    on conflict (channel, external_id) do nothing returning id`
  return rows.length === 1 ? 'stored' : 'duplicate'
}

/** WhatsApp's user_changed_number: the same contact moves to the new number and id. */
export async function recordNumberChange(sql: Sql, e: NumberChangedEvent, ctx: InboundContext): Promise<Recorded> {
  return retryOnContactClash(() => sql.begin(async (tx) => {
    const old = await lookUp(tx, e.channel, e.accountId, e.from, e.message.externalId, [...senderKeys(e.channel, e.from), ...senderKeys(e.channel, e.to)])
    if (old.seen) return 'duplicate'
    if (old.contact !== null) {
      const oldIds = e.from.externalIds.filter((id) => !e.to.externalIds.includes(id))
      await tx`delete from identities where channel = ${e.channel} and contact_id = ${old.contact.id} and external_id = any(${oldIds}::text[])`
      await tx`update identities set contact_id = ${old.contact.id} where channel = ${e.channel} and external_id = any(${e.to.externalIds}::text[])`
      if (e.to.mobile !== null) await setMobile(tx, old.contact.id, e.to.mobile, ctx.now)
    }
    const result = await ingest(tx, e.channel, e.accountId, e.to, e.message, ctx)
    return result === 'duplicate' ? 'duplicate' : 'stored'
  }))
}

/** WhatsApp user_preferences: a marketing stop makes the contact reactive; both directions are recorded. */
export async function recordMarketingPreference(sql: Sql, e: PreferenceEvent, ctx: InboundContext): Promise<Recorded> {
  return retryOnContactClash(() => sql.begin(async (tx) => {
    const found = await lookUp(tx, e.channel, e.accountId, e.sender, null, senderKeys(e.channel, e.sender))
    const seen = await tx`select 1 from consent_events where channel = ${e.channel} and external_id = ${e.externalId}`
    if (seen.length > 0) return 'duplicate'
    const result = found.contact === null ? await ingest(tx, e.channel, e.accountId, e.sender, null, ctx) : { contactId: found.contact.id }
    if (result === 'duplicate') return 'duplicate'
    await recordConsent(tx, result.contactId, e.channel, e.value === 'stop' ? 'marketing_stop' : 'marketing_resume', e.detail, e.externalId, e.at, ctx)
    return 'stored'
  }))
}
