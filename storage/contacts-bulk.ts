import type { Preference } from '../domain/contact.ts'
import type { Changes, Door } from '../domain/history.ts'
import { recordHistory, type NewHistoryEntry } from './history.ts'
import { labelNames } from './contacts.ts'
import type { Sql } from './sql.ts'

export type BulkWrite = { kind: 'owner'; ownerId: string | null } | { kind: 'preference'; preference: Preference } | { kind: 'delete' }

type Changed = { id: string; old_owner: string | null; old_preference: Preference }

/**
 * One statement for a batch of ids, and its history entries in the same transaction. `onlyFor` limits it to the
 * contacts an agent may change (theirs and the unowned), so that a list picked in a browser cannot reach further
 * than the rule allows. Returns the ids changed.
 */
export async function writeContactsBatch(sql: Sql, ids: string[], write: BulkWrite, onlyFor: string | null, now: Date, door: Door): Promise<string[]> {
  return sql.begin(async (tx) => {
    const scope = onlyFor === null ? tx`` : tx`and (owner_id is null or owner_id = ${onlyFor})`
    const set =
      write.kind === 'owner' ? tx`owner_id = ${write.ownerId}`
      : write.kind === 'preference' ? tx`preference = ${write.preference}`
      : tx`active = false`
    const rows = await tx<Changed[]>`
      with old as (select id, owner_id, preference from contacts where id = any(${ids}::uuid[]) and active ${scope} for update)
      update contacts c set ${set}, updated_at = ${now} from old where c.id = old.id
      returning c.id, old.owner_id as old_owner, old.preference as old_preference`
    const entries = rows.flatMap((r): NewHistoryEntry[] => {
      const changes: Changes =
        write.kind === 'owner' ? (r.old_owner === write.ownerId ? {} : { ownerId: { from: r.old_owner, to: write.ownerId } })
        : write.kind === 'preference' ? (r.old_preference === write.preference ? {} : { preference: { from: r.old_preference, to: write.preference } })
        : {}
      if (write.kind !== 'delete' && Object.keys(changes).length === 0) return []
      return [{ contactId: r.id, at: now, kind: write.kind === 'delete' ? 'deleted' : 'updated', ...door, changes: write.kind === 'delete' ? null : changes }]
    })
    await recordHistory(tx, entries)
    return rows.map((r) => r.id)
  })
}

/**
 * Adds and takes off labels on a batch of contacts in one statement, each change in the contact's history with
 * its label names from → to. Contacts that already had exactly that are left alone (and not counted).
 */
export async function writeLabelsBatch(sql: Sql, ids: string[], change: { add: string[]; remove: string[] }, onlyFor: string | null, now: Date, door: Door): Promise<string[]> {
  return sql.begin(async (tx) => {
    const scope = onlyFor === null ? tx`` : tx`and (owner_id is null or owner_id = ${onlyFor})`
    const rows = await tx<{ id: string; before: string[]; after: string[] }[]>`
      with old as (select id, label_ids from contacts where id = any(${ids}::uuid[]) and active ${scope} for update),
      next as (
        select old.id, old.label_ids as before_ids,
               array(select distinct x from unnest(old.label_ids || ${change.add}::uuid[]) x where x <> all(${change.remove}::uuid[]) order by x) as after_ids
        from old),
      changed as (
        update contacts c set label_ids = next.after_ids, updated_at = ${now} from next
        where c.id = next.id and not (next.before_ids @> next.after_ids and next.after_ids @> next.before_ids)
        returning c.id, next.before_ids, next.after_ids)
      select id, ${labelNames(tx, tx`before_ids`)} as before, ${labelNames(tx, tx`after_ids`)} as after from changed`
    await recordHistory(tx, rows.map((r): NewHistoryEntry => ({
      contactId: r.id, at: now, kind: 'updated', ...door, changes: { labels: { from: r.before.length === 0 ? null : r.before, to: r.after.length === 0 ? null : r.after } },
    })))
    return rows.map((r) => r.id)
  })
}

/** Puts a batch of contacts in a list or takes them out, each in its history; members already there are not counted. */
export async function writeListBatch(sql: Sql, ids: string[], list: { id: string; name: string; add: boolean }, onlyFor: string | null, now: Date, door: Door): Promise<string[]> {
  return sql.begin(async (tx) => {
    const scope = onlyFor === null ? tx`` : tx`and (c.owner_id is null or c.owner_id = ${onlyFor})`
    const rows = list.add
      ? await tx<{ contact_id: string }[]>`
          insert into list_members (list_id, contact_id, added_at)
          select ${list.id}, c.id, ${now} from contacts c where c.id = any(${ids}::uuid[]) and c.active ${scope}
          on conflict do nothing returning contact_id`
      : await tx<{ contact_id: string }[]>`
          delete from list_members m using contacts c
          where m.list_id = ${list.id} and m.contact_id = any(${ids}::uuid[]) and c.id = m.contact_id ${scope} returning m.contact_id`
    const change = list.add ? { from: null, to: list.name } : { from: list.name, to: null }
    await recordHistory(tx, rows.map((r): NewHistoryEntry => ({ contactId: r.contact_id, at: now, kind: 'updated', ...door, changes: { list: change } })))
    return rows.map((r) => r.contact_id)
  })
}
