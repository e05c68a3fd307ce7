import type { RowError } from '../../domain/csv/row.ts'
import type { OnDuplicate } from '../../domain/import-batch.ts'
import type { Fragment, Queryable } from '../sql.ts'

export type ImportSource = 'file' | 'hubspot' | 'zoho'
export type ImportStatus = 'draft' | 'in_progress' | 'completed' | 'failed'
// Decided by the batch's plan (domain/import-batch.ts); kept with every import.
export type { OnDuplicate } from '../../domain/import-batch.ts'

export type ImportRecord = {
  id: string
  source: ImportSource
  fileName: string | null
  ownerId: string | null
  onDuplicate: OnDuplicate
  status: ImportStatus
  failureReason: string | null
  createdAt: string
  finishedAt: string | null
  totalRows: number
  imported: number
  updated: number
  duplicates: number
  failed: number
  /** Imported or updated rows that lost a value that could not be read (listed as kind "warning"). */
  warnings: number
  /** The first IGNORED_NAMES_KEPT of them; `ignoredColumnCount` says how many there were. */
  ignoredColumns: string[]
  ignoredColumnCount: number
  encoding: string | null
  delimiter: string | null
  bytesRead: number
  bytesTotal: number | null
}

export type NewImport = {
  id: string
  /** A draft is read and previewed but writes nothing until it is started. */
  status?: 'draft' | 'in_progress'
  source: ImportSource
  fileName: string | null
  ownerId: string | null
  onDuplicate: OnDuplicate
  /** The process that runs it and fails it when it stops; null for an import run by a job, which another process resumes. */
  runnerId: string | null
  bytesTotal: number | null
  now: Date
}

export async function createImport(sql: Queryable, i: NewImport): Promise<void> {
  await sql`
    insert into imports (id, source, file_name, owner_id, on_duplicate, status, runner_id, bytes_total, created_at)
    values (${i.id}, ${i.source}, ${i.fileName}, ${i.ownerId}, ${i.onDuplicate}, ${i.status ?? 'in_progress'}, ${i.runnerId}, ${i.bytesTotal}, ${i.now})`
}

export type ImportFormat = { headers: string[]; ignoredColumns: string[]; encoding: string; delimiter: string }

/** How many names of ignored columns an import keeps: enough to recognise the file, never a whole wide header. */
export const IGNORED_NAMES_KEPT = 100

export async function recordImportFormat(sql: Queryable, id: string, f: ImportFormat): Promise<void> {
  await sql`
    update imports set headers = ${f.headers}, ignored_columns = ${f.ignoredColumns.slice(0, IGNORED_NAMES_KEPT)},
      ignored_column_count = ${f.ignoredColumns.length}, encoding = ${f.encoding}, delimiter = ${f.delimiter}
    where id = ${id}`
}

export async function finishImport(sql: Queryable, id: string, outcome: { status: 'completed' } | { status: 'failed'; reason: string }, now: Date): Promise<void> {
  const reason = outcome.status === 'failed' ? outcome.reason : null
  await sql`
    update imports set status = ${outcome.status}, failure_reason = ${reason}, finished_at = ${now}
    where id = ${id} and status = 'in_progress'`
}

async function failInProgress(sql: Queryable, which: Fragment, reason: string, now: Date): Promise<number> {
  const rows = await sql`
    update imports set status = 'failed', finished_at = ${now}, failure_reason = ${reason}
    where status = 'in_progress' and ${which}
    returning id`
  return rows.length
}

/**
 * Imports left in progress by runners that are gone are marked failed: nothing will ever finish them. Named by
 * the dead runners, not the live ones, so that an import begun meanwhile by a live runner is left alone.
 */
export function failInterruptedImports(sql: Queryable, deadRunners: string[], now: Date): Promise<number> {
  if (deadRunners.length === 0) return Promise.resolve(0)
  return failInProgress(sql, sql`runner_id = any(${deadRunners}::uuid[])`, 'interrupted: the server stopped before the import finished; the rows counted were saved, run the file again to import the rest (rows already imported will be reported as duplicates)', now)
}

export async function inProgressRunners(sql: Queryable): Promise<string[]> {
  const rows = await sql<{ runner_id: string }[]>`select distinct runner_id from imports where status = 'in_progress' and runner_id is not null`
  return rows.map((r) => r.runner_id)
}

type ImportDbRow = {
  id: string; source: ImportSource; file_name: string | null; owner_id: string | null; on_duplicate: OnDuplicate
  status: ImportStatus; failure_reason: string | null; created_at: Date; finished_at: Date | null
  total_rows: number; imported: number; updated: number; duplicates: number; failed: number; warnings: number
  ignored_columns: string[]; ignored_column_count: number; encoding: string | null; delimiter: string | null; bytes_read: string; bytes_total: string | null
  headers: string[]
}

function toImport(r: ImportDbRow): ImportRecord {
  return {
    id: r.id, source: r.source, fileName: r.file_name, ownerId: r.owner_id, onDuplicate: r.on_duplicate,
    status: r.status, failureReason: r.failure_reason, createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at === null ? null : r.finished_at.toISOString(),
    totalRows: r.total_rows, imported: r.imported, updated: r.updated, duplicates: r.duplicates, failed: r.failed, warnings: r.warnings,
    ignoredColumns: r.ignored_columns, ignoredColumnCount: r.ignored_column_count, encoding: r.encoding, delimiter: r.delimiter,
    bytesRead: Number(r.bytes_read), bytesTotal: r.bytes_total === null ? null : Number(r.bytes_total),
  }
}

/** An import with the header row of its file, which the failed rows are shown against. */
export type ImportWithHeaders = ImportRecord & { headers: string[] }

export async function getImport(sql: Queryable, id: string): Promise<ImportWithHeaders | null> {
  const [row] = await sql<ImportDbRow[]>`select * from imports where id = ${id}`
  return row === undefined ? null : { ...toImport(row), headers: row.headers }
}

/** Newest first; the cursor is the last id seen (UUIDv7 ids sort by creation). */
export async function listImports(sql: Queryable, limit: number, before: string | null, ownerId: string | null): Promise<{ items: ImportRecord[]; next: string | null }> {
  const rows = await sql<ImportDbRow[]>`
    select * from imports
    where true ${before === null ? sql`` : sql`and id < ${before}`} ${ownerId === null ? sql`` : sql`and owner_id = ${ownerId}`}
    order by id desc limit ${limit + 1}`
  const items = rows.slice(0, limit).map(toImport)
  return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null }
}

export type StoredImportRow = { row: number; kind: 'failed' | 'duplicate' | 'warning'; reason: string; errors: RowError[] | null; duplicateOf: string | null; data: string[] }

/** The rows that were not imported, in file order, a page at a time. */
export async function listImportRows(sql: Queryable, id: string, afterRow: number, limit: number): Promise<StoredImportRow[]> {
  const rows = await sql<{ row_number: number; kind: StoredImportRow['kind']; reason: string; errors: RowError[] | null; duplicate_of: string | null; data: string[] }[]>`
    select row_number, kind, reason, errors, duplicate_of, data from import_rows
    where import_id = ${id} and row_number > ${afterRow} order by row_number limit ${limit}`
  return rows.map((r) => ({ row: r.row_number, kind: r.kind, reason: r.reason, errors: r.errors, duplicateOf: r.duplicate_of, data: r.data }))
}


/** Where a job carries an import on: the mapping it runs with, and the last file row whose batch is saved. */
export async function resumePoint(sql: Queryable, id: string): Promise<{ mapping: Record<string, string | null> | null; rowsDone: number } | null> {
  const [row] = await sql<{ mapping: Record<string, string | null> | null; rows_done: number }[]>`select mapping, rows_done from imports where id = ${id}`
  return row === undefined ? null : { mapping: row.mapping, rowsDone: row.rows_done }
}

export async function recordImportMapping(sql: Queryable, id: string, mapping: Record<string, string | null>): Promise<void> {
  await sql`update imports set mapping = ${sql.json(mapping)} where id = ${id}`
}
