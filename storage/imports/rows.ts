import type { ListedRow } from '../../domain/import-batch.ts'
import { jsonRecords, type RecordColumns } from '../records.ts'
import type { Queryable } from '../sql.ts'

/** A cell is kept to this many characters in the list of rows not imported: enough to recognise and fix it. */
const MAX_STORED_VALUE = 1000

function stored(value: string): string {
  return value.length > MAX_STORED_VALUE ? `${value.slice(0, MAX_STORED_VALUE)}…` : value
}

const COLUMNS = { row_number: 'int', kind: 'text', reason: 'text', errors: 'jsonb', duplicate_of: 'uuid', data: 'jsonb' } as const satisfies RecordColumns

/**
 * The one writer of an import's listed rows (failed, duplicate, imported with a warning), for file batches and
 * CRM pages alike, in the caller's transaction. A row listed already (a batch redone) stays as it was.
 */
export async function insertImportRows(sql: Queryable, importId: string, rows: readonly ListedRow[]): Promise<void> {
  if (rows.length === 0) return
  const records = rows.map((r) => ({ row_number: r.row, kind: r.kind, reason: r.reason, errors: r.errors, duplicate_of: r.duplicateOf, data: r.data.map(stored) }))
  await sql`
    insert into import_rows (import_id, row_number, kind, reason, errors, duplicate_of, data)
    select ${importId}::uuid, x.row_number, x.kind, x.reason, x.errors, x.duplicate_of, x.data
    from ${jsonRecords(sql, COLUMNS, records)}
    on conflict (import_id, row_number) do nothing`
}
