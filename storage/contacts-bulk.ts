import type { Preference } from '../domain/contact.ts'
import type { Queryable } from './sql.ts'

export type BulkWrite = { kind: 'owner'; ownerId: string | null } | { kind: 'preference'; preference: Preference } | { kind: 'delete' }

/**
 * One statement for a batch of ids. `onlyFor` limits it to the contacts an agent may change (theirs and the
 * unowned), so that a list picked in a browser cannot reach further than the rule allows. Returns the ids changed.
 */
export async function writeContactsBatch(sql: Queryable, ids: string[], write: BulkWrite, onlyFor: string | null, now: Date): Promise<string[]> {
  const scope = onlyFor === null ? sql`` : sql`and (owner_id is null or owner_id = ${onlyFor})`
  const set =
    write.kind === 'owner' ? sql`owner_id = ${write.ownerId}`
    : write.kind === 'preference' ? sql`preference = ${write.preference}`
    : sql`active = false`
  const rows = await sql<{ id: string }[]>`
    update contacts set ${set}, updated_at = ${now}
    where id = any(${ids}::uuid[]) and active ${scope}
    returning id`
  return rows.map((r) => r.id)
}
