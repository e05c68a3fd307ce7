import { mapColumns, mappingOf, tooManyColumns, type ColumnMap, type Mapping } from '../../domain/csv/columns.ts'
import { readRow } from '../../domain/csv/row.ts'
import type { ValidationContext } from '../../domain/validate.ts'
import type { ImportRow } from '../../domain/import-batch.ts'
import { saveImportBatch } from '../../storage/imports/batches.ts'
import { ImportStopped } from '../../storage/imports/counters.ts'
import { rememberedMapping, rememberMapping } from '../../storage/imports/drafts.ts'
import { deleteImportFile, importFileBytes, storeImportFile } from '../../storage/imports/files.ts'
import { createImport, finishImport, getImport, recordImportFormat, recordImportMapping, resumePoint, type ImportWithHeaders, type OnDuplicate } from '../../storage/imports/history.ts'
import { FileTooLarge, openCsv, UploadInterrupted, type CsvItem, type CsvReader } from '../imports/reader.ts'
import { fileError, megabytes, refuseOversizedUpload, withinLimit } from '../imports/upload.ts'
import type { Deps } from '../deps.ts'
import { AppError } from './errors.ts'
import { progressReporter, type ImportProgress } from '../imports/progress.ts'

export type FileImportInput = {
  bytes: AsyncIterable<Uint8Array>
  fileName: string | null
  /** The size announced by the client (Content-Length), to refuse an oversized file before reading it. */
  bytesTotal: number | null
  ownerId: string | null
  onDuplicate: OnDuplicate
  /** A person's choice per header, over the automatic match; remembered for files with the same header row. */
  mapping?: Mapping | undefined
  /** Told how the import gets on as its batches are saved, instead of each front door polling it. */
  progress?: ImportProgress | undefined
}

export type StartedImport = { id: string; done: Promise<ImportWithHeaders | null> }

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

/** Imports and CRM syncs run on after the answer, which a Worker cannot do. */
export function requireBackgroundJobs(deps: Deps): void {
  if (!deps.backgroundJobs) throw new AppError('not_configured', 'Imports and CRM syncs run on the Node gateway (npm start): a Worker cannot keep a job running after it answers.')
}

/**
 * Starts a file import: the file is kept in the database as it is read, then checked (empty, too wide, no contact
 * column: refused, and the file dropped, before anything is recorded); then the import is recorded and an `import`
 * job runs it on whichever process takes it, resuming from its last saved batch if that process stops.
 */
export async function startFileImport(deps: Deps, input: FileImportInput): Promise<StartedImport> {
  requireBackgroundJobs(deps)
  const limit = deps.config.limits.importBytes
  refuseOversizedUpload(input.bytesTotal, limit)
  // Taken together: imports are listed by id (UUIDv7, time-ordered) and show their creation time.
  const id = deps.newId()
  const createdAt = deps.now()
  let opened: OpenedImport
  try {
    await storeImportFile(deps.sql, id, withinLimit(input.bytes, limit)).catch((error: unknown) => { throw fileError(error, limit) })
    opened = await openStoredFile(deps, id, input.mapping)
  } catch (error) {
    await deleteImportFile(deps.sql, id)
    throw error
  }
  await opened.items.return?.()
  if (input.mapping !== undefined) await rememberMapping(deps.sql, opened.headers, input.mapping, input.ownerId, deps.now())
  await createImport(deps.sql, { id, source: 'file', fileName: input.fileName, ownerId: input.ownerId, onDuplicate: input.onDuplicate, bytesTotal: input.bytesTotal, runnerId: null, now: createdAt })
  await recordImportFormat(deps.sql, id, { headers: opened.headers, ignoredColumns: opened.map.ignored, encoding: opened.reader.encoding(), delimiter: opened.reader.delimiter })
  await queueImport(deps, id, mappingOf(opened.map))
  return { id, done: followImport(deps, id, input.progress) }
}

/** Hands a recorded import to the job queue with the mapping it runs with; an import no job will run is failed. */
export async function queueImport(deps: Deps, id: string, mapping: Mapping): Promise<void> {
  await recordImportMapping(deps.sql, id, mapping)
  try {
    await deps.jobs.send('import', { importId: id })
  } catch (error) {
    await finishImport(deps.sql, id, { status: 'failed', reason: failureReason(error, deps.config.limits.importBytes) }, deps.now())
    await deleteImportFile(deps.sql, id)
    throw error
  }
}

type OpenedImport = { reader: CsvReader; items: AsyncIterator<CsvItem>; headers: string[]; map: ColumnMap }

/** An import's stored file, read up to its header and matched to fields; what cannot be imported is refused. */
async function openStoredFile(deps: Deps, id: string, mapping: Mapping | undefined): Promise<OpenedImport> {
  const limit = deps.config.limits.importBytes
  let reader: CsvReader
  let items: AsyncIterator<CsvItem>
  let header: { headers: string[]; row: number } | null
  try {
    reader = await openCsv(importFileBytes(deps.sql, id), limit)
    items = reader.items[Symbol.asyncIterator]()
    header = await readHeader(items)
  } catch (error) {
    throw fileError(error, limit)
  }
  try {
    if (header === null) throw new AppError('empty_file', 'The file is empty: there is no header row and no data.')
    const tooWide = tooManyColumns(header.headers)
    if (tooWide !== null) throw new AppError('too_many_columns', `Nothing was imported: ${tooWide}.`, { columns: header.headers.length })
    return { reader, items, headers: header.headers, map: await columnsFor(deps, header.headers, mapping) }
  } catch (error) {
    await items.return?.()
    throw error
  }
}

/**
 * The `import` job: runs an import from its stored file, or carries it on after the row its last saved batch
 * ended with, when the process that ran it stopped. Nothing is done for an import that is over already. The
 * file is dropped once the import ends.
 */
export async function runImportJob(deps: Deps, id: string): Promise<void> {
  const found = await getImport(deps.sql, id)
  const point = await resumePoint(deps.sql, id)
  if (found === null || point === null || found.status !== 'in_progress') return
  let opened: OpenedImport
  try {
    opened = await openStoredFile(deps, id, point.mapping ?? undefined)
  } catch (error) {
    await finishImport(deps.sql, id, { status: 'failed', reason: failureReason(error, deps.config.limits.importBytes) }, deps.now())
    await deleteImportFile(deps.sql, id)
    return
  }
  if (point.rowsDone > 0) deps.logger.info({ importId: id, after: point.rowsDone }, 'resuming an import')
  const input = { fileName: found.fileName, bytesTotal: found.bytesTotal, ownerId: found.ownerId, onDuplicate: found.onDuplicate, skipThrough: point.rowsDone }
  const done = await runImport(deps, id, input, opened.reader, opened.items, opened.map)
  if (done === null || done.status !== 'in_progress') await deleteImportFile(deps.sql, id)
}

const FOLLOW_EVERY_MS = 250

/**
 * Resolves with the import once it ends, telling `progress` how it gets on meanwhile (it runs on in a job); null
 * when it can no longer be read (the database went away), which a follower learns without an unhandled rejection.
 */
export async function followImport(deps: Deps, id: string, progress: ImportProgress | undefined): Promise<ImportWithHeaders | null> {
  const report = progressReporter(deps.sql, id, progress, deps.now)
  try {
    for (;;) {
      const found = await getImport(deps.sql, id)
      if (found === null || found.status !== 'in_progress') return found
      await report()
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS))
    }
  } catch (error) {
    deps.logger.warn({ err: error, importId: id }, 'stopped following an import')
    return null
  }
}

function failureReason(error: unknown, limit: number): string {
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
  const mapped = mapColumns(headers, chosen)
  if (mapped.ok) return mapped.map
  if (mapped.problem === 'invalid_mapping') throw new AppError('invalid_mapping', `Nothing was imported: ${mapped.message}.`, { headers })
  throw new AppError('no_contact_columns', `Nothing was imported: ${mapped.message}.`, { headers })
}

/** Who an import's rows belong to and how duplicates are handled; `skipThrough` is where a resumed import carries on. */
export type ImportRun = Pick<FileImportInput, 'fileName' | 'bytesTotal' | 'ownerId' | 'onDuplicate' | 'progress'> & { skipThrough?: number }

export async function runImport(deps: Deps, id: string, input: ImportRun, reader: CsvReader, items: AsyncIterator<CsvItem>, map: ColumnMap): Promise<ImportWithHeaders | null> {
  const ctx: ValidationContext = { defaultCountry: deps.config.defaultCountry, today: deps.now().toISOString().slice(0, 10) }
  let batch: ImportRow[] = []
  // One batch is written while the next one is read and validated.
  let writing: Promise<void> = Promise.resolve()
  let writeError: unknown = null
  const saved = progressReporter(deps.sql, id, input.progress, deps.now)
  const skip = input.skipThrough ?? 0
  const flush = async () => {
    await writing
    if (writeError !== null) throw writeError
    if (batch.length === 0) return
    const rows = batch
    batch = []
    writing = saveImportBatch(deps.sql, rows, {
      importId: id, ownerId: input.ownerId, onDuplicate: input.onDuplicate, newId: deps.newId, now: deps.now(), bytesRead: reader.bytesRead(),
    }).then(
      () => {
        deps.metrics.importRows(rows.length)
        void saved()
      },
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
            ? { row: item.row, kind: 'contact', fields: outcome.fields, data: item.values, warnings: outcome.warnings }
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
