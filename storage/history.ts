import type { Changes, HistoryKind, HistorySource } from '../domain/history.ts'
import { timePage, type TimeCursor, type TimePage } from './pages.ts'
import { jsonRecords } from './records.ts'
import type { JsonValue, Queryable } from './sql.ts'

/** The CRM and its record, for a change a CRM push or sync made. */
export type CrmRef = { system: string; recordId: string }
export type HistoryEntry = {
  at: string; kind: HistoryKind; actorId: string | null; source: HistorySource
  changes?: Changes; importId?: string; mergeId?: string; crm?: CrmRef
}
export type NewHistoryEntry = {
  contactId: string; at: Date; kind: HistoryKind; actorId: string | null; source: HistorySource; changes: Changes | null
  mergeId?: string | null; importId?: string | null; crm?: CrmRef | null
}

const HISTORY_COLUMNS = {
  contact_id: 'uuid', at: 'timestamptz', kind: 'text', actor_id: 'uuid', source: 'text', changes: 'jsonb', merge_id: 'uuid', import_id: 'uuid',
  crm_system: 'text', crm_record_id: 'text',
} as const

/** Entries written set-based, in the caller's transaction, beside the change they describe. */
export async function recordHistory(sql: Queryable, entries: NewHistoryEntry[]): Promise<void> {
  if (entries.length === 0) return
  await sql`
    insert into contact_history (contact_id, at, kind, actor_id, source, changes, merge_id, import_id, crm_system, crm_record_id)
    select * from ${jsonRecords(sql, HISTORY_COLUMNS, entries.map((e) => ({
      contact_id: e.contactId, at: e.at.toISOString(), kind: e.kind, actor_id: e.actorId, source: e.source, changes: e.changes as JsonValue, merge_id: e.mergeId ?? null, import_id: e.importId ?? null,
      crm_system: e.crm?.system ?? null, crm_record_id: e.crm?.recordId ?? null,
    })))}`
}

type Row = {
  id: string; at: Date; kind: HistoryKind; actor_id: string | null; source: HistorySource; changes: Changes | null; import_id: string | null; merge_id: string | null
  crm_system: string | null; crm_record_id: string | null
}

/**
 * Newest first. A contact whose creation was not written (imports and incoming messages, whose hot paths write
 * set-based and nothing more) gets it from its own row, written in the same statement as the contact: created_at
 * and source; for an import its import and the importer; for a message the agent who took the chat it opened.
 */
export async function listHistory(sql: Queryable, contactId: string, limit: number, after: TimeCursor | null): Promise<TimePage<HistoryEntry>> {
  const page = after === null ? sql`` : sql`where (at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`
  const rows = await sql<Row[]>`
    with entries as (
      select id, at, kind, actor_id, source, changes, import_id, merge_id, crm_system, crm_record_id from contact_history where contact_id = ${contactId}
      union all
      select '00000000-0000-0000-0000-000000000000'::uuid, c.created_at, 'created',
             case c.source when 'import' then (select i.owner_id from imports i where i.id = c.import_id)
                           when 'incoming' then (select ch.assignee_id from chats ch where ch.contact_id = c.id order by ch.created_at limit 1) end,
             c.source, null, c.import_id, null, null, null
      from contacts c
      where c.id = ${contactId} and not exists (select 1 from contact_history h where h.contact_id = c.id and h.kind = 'created')
    )
    select * from entries ${page} order by at desc, id desc limit ${limit + 1}`
  return timePage(rows, limit, (r): HistoryEntry => ({
    at: r.at.toISOString(), kind: r.kind, actorId: r.actor_id, source: r.source,
    ...(r.changes === null ? {} : { changes: r.changes }), ...(r.import_id === null ? {} : { importId: r.import_id }), ...(r.merge_id === null ? {} : { mergeId: r.merge_id }),
    ...(r.crm_system === null || r.crm_record_id === null ? {} : { crm: { system: r.crm_system, recordId: r.crm_record_id } }),
  }), (r) => ({ at: r.at.toISOString(), id: r.id }))
}
