import type { Changes, HistoryKind, HistorySource } from '../domain/history.ts'
import { timePage, type TimeCursor, type TimePage } from './pages.ts'
import { jsonRecords } from './records.ts'
import type { JsonValue, Queryable } from './sql.ts'

export type HistoryEntry = {
  at: string; kind: HistoryKind; actorId: string | null; source: HistorySource
  changes?: Changes; importId?: string; mergeId?: string
}
export type NewHistoryEntry = { contactId: string; at: Date; kind: HistoryKind; actorId: string | null; source: HistorySource; changes: Changes | null; mergeId?: string | null; importId?: string | null }

const HISTORY_COLUMNS = { contact_id: 'uuid', at: 'timestamptz', kind: 'text', actor_id: 'uuid', source: 'text', changes: 'jsonb', merge_id: 'uuid', import_id: 'uuid' } as const

/** Entries written set-based, in the caller's transaction, beside the change they describe. */
export async function recordHistory(sql: Queryable, entries: NewHistoryEntry[]): Promise<void> {
  if (entries.length === 0) return
  await sql`
    insert into contact_history (contact_id, at, kind, actor_id, source, changes, merge_id, import_id)
    select * from ${jsonRecords(sql, HISTORY_COLUMNS, entries.map((e) => ({
      contact_id: e.contactId, at: e.at.toISOString(), kind: e.kind, actor_id: e.actorId, source: e.source, changes: e.changes as JsonValue, merge_id: e.mergeId ?? null, import_id: e.importId ?? null,
    })))}`
}

type Row = { id: string; at: Date; kind: HistoryKind; actor_id: string | null; source: HistorySource; changes: Changes | null; import_id: string | null; merge_id: string | null }

/**
 * Newest first. A contact whose creation was not written (imports, incoming messages, CRM) gets it from its own
 * row: created_at and source, last in its history.
 */
export async function listHistory(sql: Queryable, contactId: string, limit: number, after: TimeCursor | null): Promise<TimePage<HistoryEntry>> {
  const page = after === null ? sql`` : sql`where (at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`
  const rows = await sql<Row[]>`
    with entries as (
      select id, at, kind, actor_id, source, changes, import_id, merge_id from contact_history where contact_id = ${contactId}
      union all
      select '00000000-0000-0000-0000-000000000000'::uuid, c.created_at, 'created', null, c.source, null, null, null from contacts c
      where c.id = ${contactId} and not exists (select 1 from contact_history h where h.contact_id = c.id and h.kind = 'created')
    )
    select * from entries ${page} order by at desc, id desc limit ${limit + 1}`
  return timePage(rows, limit, (r): HistoryEntry => ({
    at: r.at.toISOString(), kind: r.kind, actorId: r.actor_id, source: r.source,
    ...(r.changes === null ? {} : { changes: r.changes }), ...(r.import_id === null ? {} : { importId: r.import_id }), ...(r.merge_id === null ? {} : { mergeId: r.merge_id }),
  }), (r) => ({ at: r.at.toISOString(), id: r.id }))
}
