import { assignChats, inboxKey, turnsWanted } from '../../domain/inbound/assign-chats.ts'
import type { InboundPlan, PlannedConsent } from '../../domain/inbound/plan.ts'
import type { Preference } from '../../domain/contact.ts'
import type { Sender } from '../../domain/inbound/events.ts'
import { takeOverInactiveIdentity } from '../identities.ts'
import { jsonRecords } from '../records.ts'
import type { Changes } from '../../domain/history.ts'
import { recordHistory } from '../history.ts'
import type { Fragment, JsonValue, Queryable, Tx } from '../sql.ts'

export type InboundContext = { newId: () => string; now: Date; defaultPreference: Preference }

/**
 * Hands out the round-robin turns the batch's new chats need, in one round trip, then routes them. Each inbox's
 * counter row stays locked until commit.
 */
export async function routeNewChats(tx: Tx, plan: InboundPlan): Promise<void> {
  const wanted = turnsWanted(plan.chats)
  const firstTurns = new Map<string, number>()
  if (wanted.length > 0) {
    const rows = await tx<{ channel: string; account_id: string; first: string }[]>`
      select x.channel, x.account_id, inbox_turns(x.channel, x.account_id, x.count) as first
      from ${jsonRecords(tx, { ord: 'int', channel: 'text', account_id: 'text', count: 'int' }, wanted.map((w, ord) => ({ ord, channel: w.channel, account_id: w.accountId, count: w.count })))}
      order by x.ord`
    for (const row of rows) firstTurns.set(inboxKey(row.channel, row.account_id), Number(row.first))
  }
  assignChats(plan.chats, firstTurns)
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

/** Writes what the plan says, set by set in one statement, then the rarer per-contact changes. */
export async function writeInboundPlan(tx: Tx, plan: InboundPlan, ctx: InboundContext): Promise<void> {
  const now = ctx.now.toISOString()
  const inboxes = [...new Map(plan.chats.filter((c) => c.open !== null).map((c) => [inboxKey(c.channel, c.accountId), { channel: c.channel, account_id: c.accountId }])).values()]
  const openChats = plan.chats.flatMap((c) => (c.open === null ? [] : [{
    id: c.id, contact_id: c.contact.id, channel: c.channel, account_id: c.accountId, assignee_id: c.open.assigneeId, last_message_at: c.lastAt.toISOString(),
  }]))
  // A new contact is written with its channels and its chat, which the triggers of migration 077 would otherwise
  // write again as a second version of the row.
  const channelsOf = new Map<string, Set<string>>()
  for (const i of plan.identities) channelsOf.set(i.contactId, (channelsOf.get(i.contactId) ?? new Set<string>()).add(i.channel))
  const chatted = new Set(openChats.map((c) => c.contact_id))
  const contacts = plan.contacts.map((c) => ({
    id: c.id, name: c.name, mobile: c.mobile, country: c.country, country_source: c.country === null ? null : 'detected', owner_id: c.ownerId,
    channels: [...(channelsOf.get(c.id) ?? [])].sort(), has_chat: chatted.has(c.id),
  }))
  const touchedChats = plan.chats.flatMap((c) => (c.open === null ? [{ id: c.id, at: c.lastAt.toISOString() }] : []))
  const names = [...plan.names].map(([id, name]) => ({ id, name }))
  const identities = plan.identities.map((i) => ({ channel: i.channel, external_id: i.externalId, contact_id: i.contactId }))
  const messages = plan.messages.map((m) => ({
    id: m.id, channel: m.channel, external_id: m.externalId, contact_id: m.contactId, chat_id: m.chatId, account_id: m.accountId,
    type: m.type, text: m.text, raw: m.raw as JsonValue, sent_at: m.sentAt.toISOString(),
  }))
  const windows = plan.windows.map((w) => ({ contact_id: w.contactId, channel: w.channel, last_inbound_at: w.at.toISOString(), last_inbound_account: w.accountId }))
  // Foreign keys between these rows are checked at the end of the statement, so the order of the parts does not matter.
  await tx`
    with inboxes_ as (
           insert into inboxes (channel, account_id)
           select x.channel, x.account_id from ${jsonRecords(tx, { channel: 'text', account_id: 'text' }, inboxes)}
           on conflict do nothing),
         contacts_ as (
           insert into contacts (id, name, mobile, country, country_source, owner_id, preference, source, channels, has_chat, created_at, updated_at)
           select x.id, x.name, x.mobile, x.country, x.country_source, x.owner_id, ${ctx.defaultPreference}, 'incoming', x.channels, x.has_chat, ${now}::timestamptz, ${now}::timestamptz
           from ${jsonRecords(tx, { id: 'uuid', name: 'text', mobile: 'text', country: 'text', country_source: 'text', owner_id: 'uuid', channels: 'text[]', has_chat: 'boolean' }, contacts)}),
         names_ as (
           update contacts c set name = x.name, updated_at = ${now}::timestamptz
           from ${jsonRecords(tx, { id: 'uuid', name: 'text' }, names)}
           where c.id = x.id and c.name is null
           returning c.id, x.name),
         names_noted as (
           insert into contact_history (contact_id, at, kind, actor_id, source, changes)
           select id, ${now}::timestamptz, 'updated', null, 'incoming', jsonb_build_object('name', jsonb_build_object('from', null, 'to', name)) from names_),
         identities_ as (
           insert into identities (channel, external_id, contact_id)
           select x.channel, x.external_id, x.contact_id from ${jsonRecords(tx, { channel: 'text', external_id: 'text', contact_id: 'uuid' }, identities)}
           ${takeOverInactiveIdentity(tx)}),
         chats_opened as (
           insert into chats (id, contact_id, channel, account_id, assignee_id, created_at, last_message_at)
           select x.id, x.contact_id, x.channel, x.account_id, x.assignee_id, ${now}::timestamptz, x.last_message_at
           from ${jsonRecords(tx, { id: 'uuid', contact_id: 'uuid', channel: 'text', account_id: 'text', assignee_id: 'uuid', last_message_at: 'timestamptz' }, openChats)}),
         chats_touched as (
           update chats ch set last_message_at = greatest(ch.last_message_at, x.at)
           from ${jsonRecords(tx, { id: 'uuid', at: 'timestamptz' }, touchedChats)}
           where ch.id = x.id),
         messages_ as (
           insert into messages (id, channel, external_id, direction, contact_id, chat_id, account_id, type, text, raw, sent_at)
           select x.id, x.channel, x.external_id, 'inbound', x.contact_id, x.chat_id, x.account_id, x.type, x.text, x.raw, x.sent_at
           from ${jsonRecords(tx, {
             id: 'uuid', channel: 'text', external_id: 'text', contact_id: 'uuid', chat_id: 'uuid', account_id: 'text', type: 'text', text: 'text', raw: 'jsonb', sent_at: 'timestamptz',
           }, messages)}
           on conflict (channel, external_id) do nothing),
         windows_ as (
           insert into contact_channels (contact_id, channel, last_inbound_at, last_inbound_account)
           select x.contact_id, x.channel, x.last_inbound_at, x.last_inbound_account
           from ${jsonRecords(tx, { contact_id: 'uuid', channel: 'text', last_inbound_at: 'timestamptz', last_inbound_account: 'text' }, windows)}
           ${keepLatestWindow(tx)})
    select 1`
  for (const [contactId, mobile] of plan.mobiles) await setMobile(tx, contactId, mobile, ctx.now)
  for (const consent of plan.consents) await recordConsent(tx, consent, ctx)
}

/**
 * Gives the contact this mobile unless another active contact holds it; an entered country stays, a detected one
 * follows the number.
 */
export async function setMobile(tx: Tx, contactId: string, mobile: NonNullable<Sender['mobile']>, now: Date): Promise<void> {
  // Every part of the statement sees the row as it was: `old` is the number before the change, for the history.
  await tx`
    with old as (select mobile from contacts where id = ${contactId}),
    changed as (
      update contacts set mobile = ${mobile.e164}, updated_at = ${now},
        country = case when country_source = 'entered' then country else ${mobile.country} end,
        country_source = case when country_source = 'entered' then country_source
                              when ${mobile.country}::text is null then null else 'detected' end
      where id = ${contactId} and not exists (select 1 from contacts where active and mobile = ${mobile.e164} and id <> ${contactId})
      returning id)
    insert into contact_history (contact_id, at, kind, actor_id, source, changes)
    select changed.id, ${now}, 'updated', null, 'incoming', jsonb_build_object('mobile', jsonb_build_object('from', old.mobile, 'to', ${mobile.e164}::text))
    from changed, old where old.mobile is distinct from ${mobile.e164}`
}

/** A stop keyword or marketing stop makes the contact reactive; a resume lifts only the marketing stop. */
async function recordConsent(tx: Tx, c: PlannedConsent, ctx: InboundContext): Promise<void> {
  await tx`insert into consent_events ${tx({ id: ctx.newId(), contact_id: c.contactId, channel: c.channel, kind: c.kind, detail: c.detail, external_id: c.externalId, at: c.at })}
           on conflict (channel, kind, external_id) do nothing`
  const [before] = await tx<{ preference: string; marketing_opt_out: boolean }[]>`select preference, marketing_opt_out from contacts where id = ${c.contactId} for update`
  if (before === undefined) return
  const after = c.kind === 'marketing_resume'
    ? { preference: before.preference, marketing_opt_out: false }
    : { preference: 'reactive', marketing_opt_out: c.kind === 'marketing_stop' || before.marketing_opt_out }
  await tx`update contacts set preference = ${after.preference}, marketing_opt_out = ${after.marketing_opt_out}, updated_at = ${ctx.now} where id = ${c.contactId}`
  const changes: Changes = {}
  if (after.preference !== before.preference) changes.preference = { from: before.preference, to: after.preference }
  if (after.marketing_opt_out !== before.marketing_opt_out) changes.marketingOptOut = { from: before.marketing_opt_out, to: after.marketing_opt_out }
  if (Object.keys(changes).length > 0) await recordHistory(tx, [{ contactId: c.contactId, at: ctx.now, kind: 'updated', actorId: null, source: 'incoming', changes }])
}
