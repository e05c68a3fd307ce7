import type { Preference } from '../domain/contact.ts'
import type { Changes, Door } from '../domain/history.ts'
import { recordHistory, type NewHistoryEntry } from './history.ts'
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
