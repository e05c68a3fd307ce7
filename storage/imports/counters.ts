import type { ImportStatus } from './history.ts'
import type { Queryable } from '../sql.ts'

/** What one batch of a file, or one page of a CRM sync, adds to its import's counters. */
export type ImportCounts = { rows: number; imported: number; updated: number; duplicates: number; failed: number; warnings: number }

export class ImportStopped extends Error {
  constructor(readonly importId: string) {
    super(`import ${importId} is no longer in progress`)
  }
}

/**
 * The one writer of an import's counters, for file batches and CRM pages alike, in the caller's transaction so
 * that the counts move with the rows they count. `bytesRead` is how far into its file the import has read (a
 * CRM sync has no file). A file batch names its rows: they become the import's `rows_done`, where a resumed import
 * carries on, and a batch whose rows are done already (another runner of the same import got there first) counts
 * nothing. Returns the import's status, or null when nothing was counted: a writer whose import was stopped
 * meanwhile (failed as interrupted, or shut down) learns it here, and a file batch then rolls back with
 * `ImportStopped`.
 */
export async function addImportCounts(sql: Queryable, importId: string, c: ImportCounts, bytesRead: number | null, rows: { first: number; last: number } | null = null): Promise<ImportStatus | null> {
  const [row] = await sql<{ status: ImportStatus }[]>`
    update imports set total_rows = total_rows + ${c.rows}, imported = imported + ${c.imported}, updated = updated + ${c.updated},
      duplicates = duplicates + ${c.duplicates}, failed = failed + ${c.failed}, warnings = warnings + ${c.warnings},
      bytes_read = ${bytesRead === null ? sql`bytes_read` : sql`${bytesRead}`},
      rows_done = ${rows === null ? sql`rows_done` : sql`greatest(rows_done, ${rows.last})`}
    where id = ${importId} ${rows === null ? sql`` : sql`and rows_done < ${rows.first}`}
    returning status`
  return row?.status ?? null
}
