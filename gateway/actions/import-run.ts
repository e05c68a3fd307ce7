import { mapColumns, type ColumnMap, type Mapping } from '../../domain/csv/columns.ts'
import { readRow } from '../../domain/csv/row.ts'
import type { ValidationContext } from '../../domain/validate.ts'
import { contactRow, type ImportRow } from '../../domain/import-batch.ts'
import { saveImportBatch } from '../../storage/imports/batches.ts'
import { ImportStopped } from '../../storage/imports/counters.ts'
import { rememberedMapping } from '../../storage/imports/drafts.ts'
import { finishImport, getImport, type ImportWithHeaders, type OnDuplicate } from '../../storage/imports/history.ts'
import { FileTooLarge, UploadInterrupted, type CsvItem, type CsvReader } from '../imports/reader.ts'
import { megabytes } from '../imports/upload.ts'
import type { Deps } from '../deps.ts'
import { listCustomFields } from '../../storage/custom-fields.ts'
import type { ImportOptions } from '../../storage/imports/options.ts'
import { AppError } from './errors.ts'

const BATCH_ROWS = 1000
const YIELD_EVERY_ROWS = 10

/** Reads up to the header: the first record that has anything in it. */
export async function readHeader(items: AsyncIterator<CsvItem>): Promise<{ headers: string[]; row: number } | null> {
  for (;;) {
    const next = await items.next()
    if (next.done === true) return null
    const item = next.value
    if (item.kind === 'record' && item.values.some((v) => v.trim() !== '')) return { headers: item.values.map((v) => v.trim()), row: item.row }
  }
}

export function failureReason(error: unknown, limit: number): string {
  if (error instanceof FileTooLarge) return `the file is larger than the import limit of ${megabytes(limit)}; the rows before the limit were processed`
  if (error instanceof UploadInterrupted) return `${error.message}; the rows read before were saved, send the whole file again to import the rest`
  // Never an empty reason: an error without a message is named by its kind (and code, for PostgreSQL's).
  const code = typeof error === 'object' && error !== null && 'code' in error ? ` (${String(error.code)})` : ''
  const message = (error instanceof Error ? error.message || error.name : String(error)) || 'an unknown error'
  return `the import stopped: ${message}${code}; the rows counted so far were saved`
}

/**
 * The columns of a header row: the person's mapping over the automatic match, or else the mapping someone
 * confirmed for files with this header row, or else the match alone.
 */
export async function columnsFor(deps: Deps, headers: string[], mapping: Mapping | undefined): Promise<ColumnMap> {
  const chosen = mapping ?? (await rememberedMapping(deps.sql, headers)) ?? {}
  const mapped = mapColumns(headers, chosen, await listCustomFields(deps.sql))
  if (mapped.ok) return mapped.map
  if (mapped.problem === 'invalid_mapping') throw new AppError('invalid_mapping', `Nothing was imported: ${mapped.message}.`, { headers })
  throw new AppError('no_contact_columns', `Nothing was imported: ${mapped.message}.`, { headers })
}

/** Who an import's rows belong to and how duplicates are handled; `skipThrough` is where a resumed import carries on. */
export type ImportRun = { fileName: string | null; bytesTotal: number | null; ownerId: string | null; onDuplicate: OnDuplicate; skipThrough?: number; options?: ImportOptions }

export async function runImport(deps: Deps, id: string, input: ImportRun, reader: CsvReader, items: AsyncIterator<CsvItem>, map: ColumnMap): Promise<ImportWithHeaders | null> {
  const ctx: ValidationContext = { defaultCountry: deps.config.defaultCountry, today: deps.now().toISOString().slice(0, 10) }
  let batch: ImportRow[] = []
  // One batch is written while the next one is read and validated.
  let writing: Promise<void> = Promise.resolve()
  let writeError: unknown = null
  const skip = input.skipThrough ?? 0
  const flush = async () => {
    await writing
    if (writeError !== null) throw writeError
    if (batch.length === 0) return
    const rows = batch
    batch = []
    writing = saveImportBatch(deps.sql, rows, {
      importId: id, ownerId: input.ownerId, onDuplicate: input.onDuplicate, newId: deps.newId, now: deps.now(), bytesRead: reader.bytesRead(), ...input.options,
    }).then(
      () => deps.metrics.importRows(rows.length),
      (error: unknown) => {
        writeError = error
      },
    )
  }
  try {
    for (;;) {
      const next = await items.next()
      if (next.done === true) break
      const item = next.value
      if (item.row <= skip) continue
      if (item.kind === 'unreadable') {
        batch.push({ row: item.row, kind: 'failed', reason: item.message, errors: null, data: [] })
      } else {
        const outcome = readRow(item.values, map, ctx)
        if (outcome.kind === 'empty') continue
        batch.push(
          outcome.kind === 'contact'
            ? contactRow(item.row, item.values, outcome)
            : { row: item.row, kind: 'failed', reason: outcome.reason, errors: outcome.errors, data: item.values },
        )
      }
      if (batch.length >= BATCH_ROWS) await flush()
      // Parsing buffered records never leaves the microtask queue; without a turn of the event loop the replies
      // of the batch being written would wait until the parser runs dry (measured: every 100 rows 10.4 s, every 10 rows 8.9 s per 100k rows).
      if (item.row % YIELD_EVERY_ROWS === 0) await new Promise((resolve) => setImmediate(resolve))
    }
    await flush()
    await writing
    if (writeError !== null) throw writeError
    const stopped = reader.stoppedEarly()
    await finishImport(deps.sql, id, stopped === null ? { status: 'completed' } : { status: 'failed', reason: stopped }, deps.now())
  } catch (error) {
    await items.return?.()
    await writing
    if (error instanceof ImportStopped) return getImport(deps.sql, id)
    await finishImport(deps.sql, id, { status: 'failed', reason: failureReason(error, deps.config.limits.importBytes) }, deps.now())
    if (!(error instanceof FileTooLarge) && !(error instanceof UploadInterrupted)) deps.logger.warn({ err: error, importId: id }, 'import stopped')
  }
  return getImport(deps.sql, id)
}
