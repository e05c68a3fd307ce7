import type { Contact } from '../domain/contact.ts'
import { unmergePrimary, type MergeResult, type PrimaryValues } from '../domain/merge.ts'
import { contactColumns, isUniqueViolation, loadContact, lockContacts } from './contacts.ts'
import { lockKeys } from './key-locks.ts'
import { contactKeys, idKey } from '../domain/person-keys.ts'
import { contactChanges } from '../domain/history.ts'
import { recordHistory, type NewHistoryEntry } from './history.ts'
import type { JsonValue, Queryable, Sql, Tx } from './sql.ts'
import type { CustomValues } from '../domain/custom-fields.ts'

type Window = { channel: string; at: string; account: string }
/** The state of the primary a merge changes, as stored for undo. */
export type PrimaryState = PrimaryValues & { windows: Window[]; organizing?: Organizing }
/** Labels and custom values of the primary; absent from merges recorded before they existed. */
type Organizing = { labelIds: string[]; customFields: CustomValues }
type Moved = {
  identities: { channel: string; externalId: string; from: string }[]; messages: { from: string; ids: string[] }[]; chats: { from: string; ids: string[] }[]
  /** The lists the primary joined through the merge (it was in them through a duplicate only). */
  lists?: string[]
}

export type Merge = { id: string; primaryId: string; duplicateIds: string[]; actorId: string | null; createdAt: string; undoneAt: string | null; undoneBy: string | null }

type MergeRow = { id: string; primary_id: string; duplicate_ids: string[]; actor_id: string | null; created_at: Date; undone_at: Date | null; undone_by: string | null }

function toMerge(r: MergeRow): Merge {
  return {
    id: r.id, primaryId: r.primary_id, duplicateIds: r.duplicate_ids, actorId: r.actor_id, createdAt: r.created_at.toISOString(),
    undoneAt: r.undone_at?.toISOString() ?? null, undoneBy: r.undone_by,
  }
}

async function primaryState(tx: Tx, contact: Contact): Promise<PrimaryState> {
  const [row] = await tx<{ marketing_opt_out: boolean; windows: Window[]; label_ids: string[]; fields: CustomValues }[]>`
    select c.marketing_opt_out, c.label_ids, c.fields,
           coalesce((select json_agg(json_build_object('channel', w.channel, 'at', w.last_inbound_at, 'account', w.last_inbound_account) order by w.channel)
                     from contact_channels w where w.contact_id = c.id), '[]') as windows
    from contacts c where c.id = ${contact.id}`
  const { name, mobile, email, dateOfBirth, company, address, social, otherMobiles, otherEmails, countrySource } = contact
  return {
    fields: { name, mobile, email, dateOfBirth, company, address, social, otherMobiles, otherEmails, countrySource },
    preference: contact.preference, ownerId: contact.ownerId, marketingOptOut: row?.marketing_opt_out ?? false,
    windows: (row?.windows ?? []).map((w) => ({ ...w, at: new Date(w.at).toISOString() })),
    organizing: { labelIds: [...(row?.label_ids ?? [])].sort(), customFields: row?.fields ?? {} },
  }
}

/** The primary takes every label of the merge and the custom values it lacks (the first duplicate's first). */
async function mergeOrganizing(tx: Tx, primary: Contact, duplicates: Contact[], now: Date): Promise<string[]> {
  const ids = [primary.id, ...duplicates.map((d) => d.id)]
  const fields = Object.assign({}, ...[...duplicates].reverse().map((d) => d.fields), primary.fields) as CustomValues
  await tx`
    update contacts set fields = ${tx.json(fields)},
      label_ids = array(select distinct x from contacts c, unnest(c.label_ids) x where c.id = any(${ids}::uuid[]) order by x)
    where id = ${primary.id}`
  const joined = await tx<{ list_id: string }[]>`
    insert into list_members (list_id, contact_id, added_at)
    select distinct list_id, ${primary.id}::uuid, ${now}::timestamptz from list_members where contact_id = any(${ids.slice(1)}::uuid[])
    on conflict do nothing returning list_id`
  return joined.map((r) => r.list_id)
}

/** Labels and values the merge set and nothing changed since go back to what the primary had; lists it joined through the merge are left. */
async function restoreOrganizing(tx: Tx, primaryId: string, before: Organizing | undefined, after: Organizing | undefined, current: Organizing | undefined, lists: string[]): Promise<void> {
  if (lists.length > 0) await tx`delete from list_members where contact_id = ${primaryId} and list_id = any(${lists}::uuid[])`
  if (before === undefined || after === undefined || current === undefined) return
  if (JSON.stringify(current.labelIds) === JSON.stringify(after.labelIds)) await tx`update contacts set label_ids = ${before.labelIds}::uuid[] where id = ${primaryId}`
  if (JSON.stringify(current.customFields) === JSON.stringify(after.customFields)) await tx`update contacts set fields = ${tx.json(before.customFields)} where id = ${primaryId}`
}

async function writePrimary(tx: Tx, id: string, s: PrimaryValues, now: Date): Promise<void> {
  await tx`update contacts set ${tx({
    ...contactColumns(s.fields), social: tx.json(s.fields.social), preference: s.preference, owner_id: s.ownerId, marketing_opt_out: s.marketingOptOut, updated_at: now,
  })} where id = ${id}`
}

export type MergeOutcome =
  | { ok: true; merge: Merge; contact: Contact }
  | { ok: false; notFound: string[] }
  | { ok: false; inactive: string[] }

/**
 * Folds the duplicates into the primary in one transaction: the duplicates are deactivated and point at the
 * primary, the primary takes the merged fields, their channel ids, chats and messages move to it, its messaging
 * windows become the latest of all, and the merge is recorded with what undo needs.
 */
export async function mergeContactRecords(
  sql: Sql, m: { id: string; primaryId: string; duplicateIds: readonly string[]; actorId: string; now: Date },
  merge: (primary: Contact, duplicates: Contact[]) => MergeResult,
): Promise<MergeOutcome> {
  return sql.begin(async (tx): Promise<MergeOutcome> => {
    const ids = [m.primaryId, ...m.duplicateIds]
    await lockPeople(tx, ids)
    const locked = new Map((await lockContacts(tx, ids)).map((c) => [c.id, c]))
    const notFound = ids.filter((id) => !locked.has(id))
    if (notFound.length > 0) return { ok: false, notFound }
    const inactive = ids.filter((id) => locked.get(id)?.active !== true)
    if (inactive.length > 0) return { ok: false, inactive }
    const primary = locked.get(m.primaryId) as Contact
    const duplicates = m.duplicateIds.map((id) => locked.get(id) as Contact)
    const before = await primaryState(tx, primary)
    const merged = merge(primary, duplicates)
    const dupIds = m.duplicateIds as string[]
    const [optOut] = await tx<{ any: boolean }[]>`select bool_or(marketing_opt_out) as any from contacts where id = any(${ids}::uuid[])`

    // Deactivated first: the primary may take over a duplicate's mobile or email, which are unique among active contacts.
    await tx`update contacts set active = false, merged_into = ${m.primaryId}, updated_at = ${m.now} where id = any(${dupIds}::uuid[])`
    await writePrimary(tx, m.primaryId, { ...merged, marketingOptOut: optOut?.any === true }, m.now)
    const lists = await mergeOrganizing(tx, primary, duplicates, m.now)

    const moved = { ...(await moveRows(tx, m.primaryId, dupIds)), lists }
    await tx`
      insert into contact_channels (contact_id, channel, last_inbound_at, last_inbound_account)
      select distinct on (channel) ${m.primaryId}::uuid, channel, last_inbound_at, last_inbound_account
      from contact_channels where contact_id = any(${dupIds}::uuid[]) order by channel, last_inbound_at desc
      on conflict (contact_id, channel) do update set
        last_inbound_account = case when excluded.last_inbound_at > contact_channels.last_inbound_at
                                    then excluded.last_inbound_account else contact_channels.last_inbound_account end,
        last_inbound_at = greatest(contact_channels.last_inbound_at, excluded.last_inbound_at)`
    const contact = await loadContact(tx, m.primaryId)
    const after = await primaryState(tx, contact)
    const [row] = await tx<MergeRow[]>`
      insert into merges (id, primary_id, duplicate_ids, actor_id, created_at, before, after, moved)
      values (${m.id}, ${m.primaryId}, ${dupIds}::uuid[], ${m.actorId}, ${m.now}, ${tx.json(before as unknown as JsonValue)}, ${tx.json(after as unknown as JsonValue)}, ${tx.json(moved as unknown as JsonValue)})
      returning *`
    await recordHistory(tx, [
      { contactId: m.primaryId, at: m.now, kind: 'merged', actorId: m.actorId, source: 'merge', changes: contactChanges(primary, contact), mergeId: m.id },
      ...dupIds.map((id): NewHistoryEntry => ({ contactId: id, at: m.now, kind: 'merged', actorId: m.actorId, source: 'merge', changes: { mergedInto: { from: null, to: m.primaryId } }, mergeId: m.id })),
    ])
    return { ok: true, merge: toMerge(row as MergeRow), contact }
  })
}

/**
 * Takes the advisory locks inbound messages and CRM records take for these contacts' channel ids and mobiles
 * (sorted, as they take them), so that a message arriving during a merge or an undo waits and then lands on the
 * contact that holds its sender afterwards.
 */
async function lockPeople(tx: Tx, contactIds: string[]): Promise<void> {
  const ids = await tx<{ channel: string; external_id: string }[]>`select channel, external_id from identities where contact_id = any(${contactIds}::uuid[])`
  const mobiles = await tx<{ m: string }[]>`
    select m from contacts c, unnest(array_append(c.other_mobiles, c.mobile)) as m where c.id = any(${contactIds}::uuid[]) and m is not null`
  await lockKeys(tx, [...ids.map((i) => idKey(i.channel, i.external_id)), ...contactKeys(mobiles.map((r) => r.m), [])])
}

/** Moves the duplicates' channel ids, messages and chats to the primary, and says what moved from where. */
async function moveRows(tx: Tx, primaryId: string, dupIds: string[]): Promise<Moved> {
  const identities = await tx<Moved['identities']>`
    select channel, external_id as "externalId", contact_id::text as "from" from identities where contact_id = any(${dupIds}::uuid[])`
  await tx`update identities set contact_id = ${primaryId} where contact_id = any(${dupIds}::uuid[])`
  const messages = await tx<Moved['messages']>`
    select contact_id::text as "from", array_agg(id::text) as ids from messages where contact_id = any(${dupIds}::uuid[]) group by contact_id`
  await tx`update messages set contact_id = ${primaryId} where contact_id = any(${dupIds}::uuid[])`
  // A chat in an inbox where the primary has one already stays with its duplicate (its messages move all the same).
  const chats = await tx<Moved['chats']>`
    select contact_id::text as "from", array_agg(id::text) as ids from (
      select distinct on (ch.channel, ch.account_id) ch.id, ch.contact_id from chats ch
      where ch.contact_id = any(${dupIds}::uuid[])
        and not exists (select 1 from chats p where p.contact_id = ${primaryId} and p.channel = ch.channel and p.account_id = ch.account_id)
      order by ch.channel, ch.account_id, ch.created_at) movable
    group by contact_id`
  const chatIds = chats.flatMap((c) => c.ids)
  await tx`update chats set contact_id = ${primaryId} where id = any(${chatIds}::uuid[])`
  return { identities: [...identities], messages: [...messages], chats: [...chats] }
}

export type UndoOutcome =
  | { ok: true; merge: Merge; contact: Contact }
  | { ok: false; notFound: true }
  | { ok: false; alreadyUndone: string }
  | { ok: false; changed: string }

/**
 * Takes a merge back: the duplicates are active again with their ids, chats and messages, and the primary gets back
 * what it had, field by field, except what someone changed after the merge (`unmergePrimary` decides). Refused when a
 * contact of the merge was merged or deleted since, or when another contact has taken a duplicate's mobile or email.
 */
export async function undoMergeRecord(sql: Sql, u: { id: string; actorId: string; now: Date }): Promise<UndoOutcome> {
  try {
    return await sql.begin(async (tx): Promise<UndoOutcome> => {
      const [row] = await tx<(MergeRow & { before: PrimaryState; after: PrimaryState; moved: Moved })[]>`select * from merges where id = ${u.id} for update`
      if (row === undefined) return { ok: false, notFound: true }
      if (row.undone_at !== null) return { ok: false, alreadyUndone: row.undone_at.toISOString() }
      await lockPeople(tx, [row.primary_id, ...row.duplicate_ids])
      const locked = new Map((await lockContacts(tx, [row.primary_id, ...row.duplicate_ids])).map((c) => [c.id, c]))
      const primary = locked.get(row.primary_id)
      if (primary === undefined || !primary.active) return { ok: false, changed: 'The merged contact was merged again or deleted since; undo that first.' }
      const [stillMerged] = await tx<{ n: number }[]>`
        select count(*)::int as n from contacts where id = any(${row.duplicate_ids}::uuid[]) and not active and merged_into = ${row.primary_id}`
      if (stillMerged?.n !== row.duplicate_ids.length) return { ok: false, changed: 'A contact of this merge was restored or changed since.' }

      const current = await primaryState(tx, primary)
      await writePrimary(tx, row.primary_id, unmergePrimary(row.before, row.after, current), u.now)
      for (const i of row.moved.identities) {
        await tx`update identities set contact_id = ${i.from} where channel = ${i.channel} and external_id = ${i.externalId} and contact_id = ${row.primary_id}`
      }
      for (const group of row.moved.messages) await tx`update messages set contact_id = ${group.from} where id = any(${group.ids}::uuid[]) and contact_id = ${row.primary_id}`
      for (const group of row.moved.chats) await tx`update chats set contact_id = ${group.from} where id = any(${group.ids}::uuid[]) and contact_id = ${row.primary_id}`
      await restoreWindows(tx, row.primary_id, row.before.windows, row.after.windows, current.windows)
      await restoreOrganizing(tx, row.primary_id, row.before.organizing, row.after.organizing, current.organizing, row.moved.lists ?? [])
      await tx`update contacts set active = true, merged_into = null, updated_at = ${u.now} where id = any(${row.duplicate_ids}::uuid[])`
      const [done] = await tx<MergeRow[]>`update merges set undone_at = ${u.now}, undone_by = ${u.actorId} where id = ${u.id} returning *`
      const restored = await loadContact(tx, row.primary_id)
      await recordHistory(tx, [
        { contactId: row.primary_id, at: u.now, kind: 'unmerged', actorId: u.actorId, source: 'merge', changes: contactChanges(primary, restored), mergeId: u.id },
        ...row.duplicate_ids.map((id): NewHistoryEntry => ({ contactId: id, at: u.now, kind: 'unmerged', actorId: u.actorId, source: 'merge', changes: { mergedInto: { from: row.primary_id, to: null } }, mergeId: u.id })),
      ])
      return { ok: true, merge: toMerge(done as MergeRow), contact: restored }
    })
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, changed: 'Another contact now has the mobile or email of a contact in this merge.' }
    throw error
  }
}

/** A window the merge set and nothing changed since goes back to what the primary had (or away). */
async function restoreWindows(tx: Tx, primaryId: string, before: Window[], after: Window[], current: Window[]): Promise<void> {
  for (const set of after) {
    const now = current.find((w) => w.channel === set.channel)
    if (now === undefined || now.at !== set.at || now.account !== set.account) continue
    const was = before.find((w) => w.channel === set.channel)
    if (was === undefined) await tx`delete from contact_channels where contact_id = ${primaryId} and channel = ${set.channel}`
    else await tx`update contact_channels set last_inbound_at = ${was.at}, last_inbound_account = ${was.account} where contact_id = ${primaryId} and channel = ${set.channel}`
  }
}

export async function listMerges(sql: Queryable, limit: number, cursor: string | null): Promise<{ items: Merge[]; nextCursor: string | null }> {
  const rows = await sql<MergeRow[]>`
    select id, primary_id, duplicate_ids, actor_id, created_at, undone_at, undone_by from merges
    where ${cursor === null ? sql`true` : sql`id < ${cursor}`} order by id desc limit ${limit + 1}`
  const items = rows.slice(0, limit).map(toMerge)
  return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null }
}
