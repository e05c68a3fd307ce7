import type { Queryable } from './sql.ts'

export type PendingMerge = { token: string; actorId: string; primaryId: string; duplicateIds: string[]; expiresAt: Date }

/** Keeps a merge waiting for its confirmation; expired ones are forgotten on the way. */
export async function savePendingMerge(sql: Queryable, p: PendingMerge, now: Date): Promise<void> {
  await sql`
    with expired as (delete from bot_pending_merges where expires_at < ${now})
    insert into bot_pending_merges (token, actor_id, primary_id, duplicate_ids, expires_at)
    values (${p.token}, ${p.actorId}, ${p.primaryId}, ${p.duplicateIds}::uuid[], ${p.expiresAt})`
}

/**
 * Takes a pending merge for the person who asked for it, once: a second press (here or in another process) finds
 * nothing, and so does anyone else, or a press after it expired.
 */
export async function takePendingMerge(sql: Queryable, token: string, actorId: string, now: Date): Promise<PendingMerge | null> {
  const [row] = await sql<{ token: string; actor_id: string; primary_id: string; duplicate_ids: string[]; expires_at: Date }[]>`
    delete from bot_pending_merges where token = ${token} and actor_id = ${actorId} and expires_at > ${now}
    returning token, actor_id, primary_id, duplicate_ids, expires_at`
  return row === undefined ? null : { token: row.token, actorId: row.actor_id, primaryId: row.primary_id, duplicateIds: row.duplicate_ids, expiresAt: row.expires_at }
}
