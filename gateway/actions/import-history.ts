import { getImport, listImportRows, listImports, type ImportRecord, type ImportWithHeaders, type StoredImportRow } from '../../storage/imports/history.ts'
import type { User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { failuresAsCsv, textBytes } from '../imports/failures.ts'

/** Admins see every import; agents their own (as the API lets them). */
export function importHistory(deps: Deps, actor: User, limit: number, before: string | null): Promise<{ items: ImportRecord[]; next: string | null }> {
  return listImports(deps.sql, limit, before, actor.role === 'admin' ? null : actor.id)
}

export async function importFor(deps: Deps, actor: User, id: string): Promise<ImportWithHeaders | null> {
  const found = await getImport(deps.sql, id)
  return found === null || (actor.role !== 'admin' && found.ownerId !== actor.id) ? null : found
}

export function importRowsPage(deps: Deps, id: string, afterRow: number, limit: number): Promise<StoredImportRow[]> {
  return listImportRows(deps.sql, id, afterRow, limit)
}

/** The rows an import did not take and its warnings, with reasons, as the CSV file the API and the console give. */
export function importFailuresFile(deps: Deps, found: ImportWithHeaders): ReadableStream<Uint8Array> {
  return textBytes(failuresAsCsv(deps.sql, found.id, found.headers))
}
