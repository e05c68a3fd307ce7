import { createHash } from 'node:crypto'
import type { Mapping } from '../../domain/csv/columns.ts'
import type { Queryable, Sql } from '../sql.ts'
import type { BatchCounts, ImportRow } from '../../domain/import-batch.ts'
import { writeBatch, type BatchOptions } from './batches.ts'
import type { OnDuplicate, StoredImportRow } from './history.ts'

/** A draft's file and mapping; the rest of it is an import record with status "draft". */
export type DraftFile = { path: string; mapping: Mapping | null }

export async function saveDraftFile(sql: Queryable, id: string, path: string, mapping: Mapping): Promise<void> {
  await sql`update imports set draft_path = ${path}, mapping = ${sql.json(mapping)} where id = ${id}`
}

export async function getDraftFile(sql: Queryable, id: string): Promise<DraftFile | null> {
  const [row] = await sql<{ draft_path: string | null; mapping: Mapping | null }[]>`
    select draft_path, mapping from imports where id = ${id} and status = 'draft'`
  return row?.draft_path == null ? null : { path: row.draft_path, mapping: row.mapping }
}

/** How many rows a draft's file has, counted after the preview was answered. */
export async function recordDraftRows(sql: Queryable, id: string, rows: number): Promise<void> {
  await sql`update imports set total_rows = ${rows} where id = ${id} and status = 'draft'`
}

/** Draft → in progress, once: false when it was started (or cancelled) already. */
export async function startDraftImport(
  sql: Queryable, id: string, s: { runnerId: string | null; mapping: Mapping; onDuplicate: OnDuplicate },
): Promise<boolean> {
  const rows = await sql`
    update imports set status = 'in_progress', runner_id = ${s.runnerId}, mapping = ${sql.json(s.mapping)},
      on_duplicate = ${s.onDuplicate}, total_rows = 0, draft_path = null
    where id = ${id} and status = 'draft' returning id`
  return rows.length === 1
}

/** Removes a draft; its file path is returned so that the caller deletes it. */
export async function deleteDraft(sql: Queryable, id: string): Promise<string | null | undefined> {
  const [row] = await sql<{ draft_path: string | null }[]>`delete from imports where id = ${id} and status = 'draft' returning draft_path`
  return row === undefined ? undefined : row.draft_path
}

/** Drafts not started within `maxAgeMs` are deleted; their file paths are returned for the caller to remove. */
export async function deleteExpiredDrafts(sql: Queryable, now: Date, maxAgeMs: number): Promise<string[]> {
  const rows = await sql<{ draft_path: string | null }[]>`
    delete from imports where status = 'draft' and created_at < ${new Date(now.getTime() - maxAgeMs)} returning draft_path`
  return rows.flatMap((r) => (r.draft_path === null ? [] : [r.draft_path]))
}

/** Hashed here, not in SQL: a header may hold bytes (NUL) that PostgreSQL refuses in text. */
function headerKeyOf(headers: string[]): string {
  return createHash('md5').update(JSON.stringify(headers)).digest('hex')
}

/** The mapping someone confirmed for files with this header row, suggested next time. */
export async function rememberedMapping(sql: Queryable, headers: string[]): Promise<Mapping | null> {
  const [row] = await sql<{ mapping: Mapping }[]>`select mapping from import_mappings where header_key = ${headerKeyOf(headers)}`
  return row?.mapping ?? null
}

export async function rememberMapping(sql: Queryable, headers: string[], mapping: Mapping, userId: string | null, now: Date): Promise<void> {
  await sql`
    insert into import_mappings (header_key, mapping, confirmed_by, confirmed_at)
    values (${headerKeyOf(headers)}, ${sql.json(mapping)}, ${userId}, ${now})
    on conflict (header_key) do update set mapping = excluded.mapping, confirmed_by = excluded.confirmed_by, confirmed_at = excluded.confirmed_at`
}

export type BatchPreview = { counts: BatchCounts; warnings: number; failures: StoredImportRow[] }

class RolledBack extends Error {}

/**
 * What saving these rows would do, without doing it: the real batch runs in a transaction that is rolled back,
 * so the preview's duplicates, failures and warnings are exactly the import's (against the contacts as they are).
 */
export async function previewImportBatch(sql: Sql, rows: ImportRow[], o: BatchOptions, keep: number): Promise<BatchPreview> {
  let preview: BatchPreview | null = null
  try {
    await sql.begin(async (tx) => {
      await tx`update imports set status = 'in_progress' where id = ${o.importId}`
      const counts = await writeBatch(tx, rows, o)
      const found = await tx<{ row_number: number; kind: StoredImportRow['kind']; reason: string; errors: StoredImportRow['errors']; duplicate_of: string | null; data: string[] }[]>`
        select row_number, kind, reason, errors, duplicate_of, data from import_rows where import_id = ${o.importId} order by row_number limit ${keep}`
      const [w] = await tx<{ warnings: number }[]>`select warnings from imports where id = ${o.importId}`
      preview = {
        counts, warnings: w?.warnings ?? 0,
        failures: found.map((r) => ({ row: r.row_number, kind: r.kind, reason: r.reason, errors: r.errors, duplicateOf: r.duplicate_of, data: r.data })),
      }
      throw new RolledBack()
    })
  } catch (error) {
    if (!(error instanceof RolledBack)) throw error
  }
  if (preview === null) throw new Error('the preview transaction ended without a result')
  return preview
}
