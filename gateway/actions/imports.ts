import { mappingOf, tooManyColumns, type ColumnMap, type Mapping } from '../../domain/csv/columns.ts'
import { rememberMapping } from '../../storage/imports/drafts.ts'
import { deleteImportFile, importFileBytes, storeImportFile } from '../../storage/imports/files.ts'
import { createImport, finishImport, getImport, recordImportFormat, recordImportMapping, resumePoint, type ImportWithHeaders, type OnDuplicate } from '../../storage/imports/history.ts'
import { openContactFile, recordedFileHints, type FileHints } from '../imports/contact-file.ts'
import type { CsvItem, CsvReader } from '../imports/reader.ts'
import { fileError, oversizedUpload, refuseOversizedUpload, withinLimit } from '../imports/upload.ts'
import { progressReporter, type ImportProgress } from '../imports/progress.ts'
import type { Deps } from '../deps.ts'
import { AppError } from './errors.ts'
import { importOptions, recordImportOptions } from '../../storage/imports/options.ts'
import { checkImportOptions, type ImportOptionsInput } from './import-options.ts'
import { columnsFor, failureReason, readHeader, runImport } from './import-run.ts'

export type FileImportInput = {
  bytes: AsyncIterable<Uint8Array>
  fileName: string | null
  /** The Content-Type it was sent with, when known: text/vcard or text/x-vcard is read as a vCard (see openContactFile). */
  contentType?: string | null | undefined
  /** The size announced by the client (Content-Length), to refuse an oversized file before reading it. */
  bytesTotal: number | null
  ownerId: string | null
  onDuplicate: OnDuplicate
  /** A person's choice per header, over the automatic match; remembered for files with the same header row. */
  mapping?: Mapping | undefined
  /** Told how the import gets on while it runs, by whoever follows it (StartedImport.follow). */
  progress?: ImportProgress | undefined
  /** Labels given to every contact the import creates or updates; a list every contact the file names joins. */
  options?: ImportOptionsInput | undefined
}

/** A started import, and how to follow it to its end (polled only by a caller who follows it). */
export type StartedImport = { id: string; follow(): Promise<ImportWithHeaders | null> }

/** The import limit's refusal for a file whose size is announced before it is fetched (a Telegram document), or null. */
export function uploadRefusal(deps: Deps, announcedBytes: number | null | undefined): AppError | null {
  return oversizedUpload(announcedBytes, deps.config.limits.importBytes)
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
  const options = await checkImportOptions(deps, input.options)
  // Taken together: imports are listed by id (UUIDv7, time-ordered) and show their creation time.
  const id = deps.newId()
  const createdAt = deps.now()
  let opened: OpenedImport
  try {
    await storeImportFile(deps.sql, id, withinLimit(input.bytes, limit)).catch((error: unknown) => { throw fileError(error, limit) })
    opened = await openStoredFile(deps, id, input.mapping, { fileName: input.fileName, contentType: input.contentType })
  } catch (error) {
    await deleteImportFile(deps.sql, id)
    throw error
  }
  await opened.items.return?.()
  if (input.mapping !== undefined) await rememberMapping(deps.sql, opened.headers, input.mapping, input.ownerId, deps.now())
  await createImport(deps.sql, { id, source: 'file', fileName: input.fileName, ownerId: input.ownerId, onDuplicate: input.onDuplicate, bytesTotal: input.bytesTotal, runnerId: null, now: createdAt })
  await recordImportFormat(deps.sql, id, { headers: opened.headers, ignoredColumns: opened.map.ignored, encoding: opened.reader.encoding(), delimiter: opened.reader.delimiter })
  await recordImportOptions(deps.sql, id, options)
  await queueImport(deps, id, mappingOf(opened.map))
  return { id, follow: () => followImport(deps, id, input.progress) }
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

/** An import's stored file (CSV or vCard), read up to its header and matched to fields; what cannot be imported is refused. */
async function openStoredFile(deps: Deps, id: string, mapping: Mapping | undefined, hints: FileHints): Promise<OpenedImport> {
  const limit = deps.config.limits.importBytes
  let reader: CsvReader
  let items: AsyncIterator<CsvItem>
  let header: { headers: string[]; row: number } | null
  try {
    reader = await openContactFile(importFileBytes(deps.sql, id), limit, hints)
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
    opened = await openStoredFile(deps, id, point.mapping ?? undefined, recordedFileHints(found))
  } catch (error) {
    await finishImport(deps.sql, id, { status: 'failed', reason: failureReason(error, deps.config.limits.importBytes) }, deps.now())
    await deleteImportFile(deps.sql, id)
    return
  }
  if (point.rowsDone > 0) deps.logger.info({ importId: id, after: point.rowsDone }, 'resuming an import')
  const options = await importOptions(deps.sql, id)
  const input = { fileName: found.fileName, bytesTotal: found.bytesTotal, ownerId: found.ownerId, onDuplicate: found.onDuplicate, skipThrough: point.rowsDone, options }
  const done = await runImport(deps, id, input, opened.reader, opened.items, opened.map)
  if (done === null || done.status !== 'in_progress') await deleteImportFile(deps.sql, id)
}

const FOLLOW_EVERY_MS = 250

/**
 * Resolves with the import once it ends, telling `progress` how it gets on meanwhile (it runs on in a job); null
 * when it can no longer be read (the database went away), which a follower learns without an unhandled rejection.
 */
export async function followImport(deps: Deps, id: string, progress: ImportProgress | undefined): Promise<ImportWithHeaders | null> {
  const report = progressReporter(progress, deps.now)
  try {
    for (;;) {
      const found = await getImport(deps.sql, id)
      if (found === null || found.status !== 'in_progress') return found
      report(found)
      await new Promise((resolve) => setTimeout(resolve, FOLLOW_EVERY_MS))
    }
  } catch (error) {
    deps.logger.warn({ err: error, importId: id }, 'stopped following an import')
    return null
  }
}

