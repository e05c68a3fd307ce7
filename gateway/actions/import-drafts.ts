import { columnLetter, mapColumns, mappingOf, tooManyColumns, type ColumnMap, type Mapping } from '../../domain/csv/columns.ts'
import { countChunk, endCount, startCount } from '../../domain/csv/count.ts'
import { readRow } from '../../domain/csv/row.ts'
import type { ValidationContext } from '../../domain/validate.ts'
import { contactRow, type ImportRow } from '../../domain/import-batch.ts'
import {
  deleteDraft, deleteExpiredDrafts, getDraftFile, previewImportBatch, recordDraftRows, rememberedMapping, rememberMapping, saveDraftFile, startDraftImport,
} from '../../storage/imports/drafts.ts'
import { createImport, recordImportFormat, type OnDuplicate } from '../../storage/imports/history.ts'
import { deleteImportFile, deleteOrphanFiles, storeImportFile } from '../../storage/imports/files.ts'
import type { User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { rowObject } from '../imports/failures.ts'
import { draftPath, openDraftFile, removeDraftFile } from '../imports/draft-files.ts'
import { openContactFile, recordedFileHints, type FileHints } from '../imports/contact-file.ts'
import type { CsvItem, CsvReader } from '../imports/reader.ts'
import { VCARD_DELIMITER } from '../imports/vcard-reader.ts'
import { countCardsIn, startCardCount } from '../../domain/vcard/count.ts'
import { fileError } from '../imports/upload.ts'
import { AppError } from './errors.ts'
import { importFor } from './import-history.ts'
import { followImport, queueImport, requireBackgroundJobs, type StartedImport } from './imports.ts'
import { columnsFor, readHeader } from './import-run.ts'
import { listCustomFields } from '../../storage/custom-fields.ts'
import { recordImportOptions } from '../../storage/imports/options.ts'
import { checkImportOptions, type ImportOptionsInput } from './import-options.ts'

export type DraftColumn = { header: string; letter: string; field: string | null; samples: string[] }
export type PreviewFailure = { row: number; kind: 'failed' | 'duplicate' | 'warning'; reason: string; data: Record<string, string> }
export type DraftPreview = { rows: number; imported: number; updated: number; duplicates: number; failed: number; warnings: number; failures: PreviewFailure[] }
export type DraftView = {
  id: string; status: 'draft'; fileName: string | null; encoding: string; delimiter: string; onDuplicate: OnDuplicate
  columns: DraftColumn[]; preview: DraftPreview
  /** Why nothing could be imported with this mapping (no phone or email column), or null. */
  problem: string | null
  /** The custom fields a column can be mapped to (`field:<key>`). */
  customFields: { key: string; label: string }[]
}

const PREVIEW_ROWS = 1000
const SAMPLES = 3
const PREVIEW_FAILURES = 100
const DRAFT_TTL_MS = 24 * 60 * 60 * 1000

type Previewed = { view: Omit<DraftView, 'id' | 'fileName' | 'onDuplicate'>; headers: string[]; map: ColumnMap; items: AsyncIterator<CsvItem> }

/** Reads a file's header and first PREVIEW_ROWS rows and says what importing them with `mapping` would do. */
async function previewFile(deps: Deps, importId: string, ownerId: string | null, onDuplicate: OnDuplicate, bytes: AsyncIterable<Uint8Array>, mapping: Mapping | undefined, hints: FileHints): Promise<Previewed> {
  const limit = deps.config.limits.importBytes
  let reader: CsvReader
  let items: AsyncIterator<CsvItem>
  let header: Awaited<ReturnType<typeof readHeader>>
  try {
    reader = await openContactFile(bytes, limit, hints)
    items = reader.items[Symbol.asyncIterator]()
    header = await readHeader(items)
  } catch (error) {
    throw fileError(error, limit)
  }
  const stop = async (error: AppError): Promise<never> => {
    await items.return?.()
    throw error
  }
  if (header === null) return stop(new AppError('empty_file', 'The file is empty: there is no header row and no data.'))
  const { headers } = header
  const tooWide = tooManyColumns(headers)
  if (tooWide !== null) return stop(new AppError('too_many_columns', `Nothing can be imported: ${tooWide}.`, { columns: headers.length }))
  const customFields = await listCustomFields(deps.sql)
  const mapped = mapColumns(headers, mapping ?? (await rememberedMapping(deps.sql, headers)) ?? {}, customFields)
  if (!mapped.ok && mapped.problem === 'invalid_mapping') return stop(new AppError('invalid_mapping', `The mapping cannot be used: ${mapped.message}.`, { headers }))
  const map = mapped.ok ? mapped.map : mapped.map
  const problem = mapped.ok ? null : mapped.message
  const ctx: ValidationContext = { defaultCountry: deps.config.defaultCountry, today: deps.now().toISOString().slice(0, 10) }
  const samples: string[][] = headers.map(() => [])
  const rows: ImportRow[] = []
  while (rows.length < PREVIEW_ROWS) {
    const next = await items.next()
    if (next.done === true) break
    const item = next.value
    if (item.kind === 'unreadable') {
      rows.push({ row: item.row, kind: 'failed', reason: item.message, errors: null, data: [] })
      continue
    }
    item.values.forEach((v, i) => {
      const s = samples[i]
      if (s !== undefined && s.length < SAMPLES && v.trim() !== '') s.push(v.length > 80 ? `${v.slice(0, 80)}…` : v)
    })
    const outcome = readRow(item.values, map, ctx)
    if (outcome.kind === 'empty') continue
    rows.push(outcome.kind === 'contact'
      ? contactRow(item.row, item.values, outcome)
      : { row: item.row, kind: 'failed', reason: outcome.reason, errors: outcome.errors, data: item.values })
  }
  const preview: DraftPreview = { rows: rows.length, imported: 0, updated: 0, duplicates: 0, failed: 0, warnings: 0, failures: [] }
  if (problem === null && rows.length > 0) {
    const p = await previewImportBatch(deps.sql, rows, { importId, ownerId, onDuplicate, newId: deps.newId, now: deps.now(), bytesRead: reader.bytesRead() }, PREVIEW_FAILURES)
    Object.assign(preview, p.counts, { warnings: p.warnings })
    preview.failures = p.failures.map((f) => ({ row: f.row, kind: f.kind, reason: f.reason, data: rowObject(headers, f.data) }))
  }
  const columns = headers.map((h, i) => ({ header: h, letter: columnLetter(i), field: map.targets[i] ?? null, samples: samples[i] ?? [] }))
  return {
    view: { status: 'draft', encoding: reader.encoding(), delimiter: reader.delimiter, columns, preview, problem, customFields: customFields.map((f) => ({ key: f.key, label: f.label })) },
    headers, map, items,
  }
}

export async function expireDrafts(deps: Deps): Promise<void> {
  for (const path of await deleteExpiredDrafts(deps.sql, deps.now(), DRAFT_TTL_MS)) await removeDraftFile(path)
  await deleteOrphanFiles(deps.sql, new Date(deps.now().getTime() - DRAFT_TTL_MS))
}

export type NewDraft = {
  /** Moves the received file to where the draft keeps it. */
  keep: (path: string) => Promise<void>
  options?: ImportOptionsInput | undefined
  size: number
  fileName: string | null
  /** The Content-Type it was sent with, when known (a vCard may be told by it). */
  contentType?: string | null | undefined
  ownerId: string | null
  onDuplicate: OnDuplicate
  mapping?: Mapping | undefined
}

/**
 * A draft: the file is kept (under the size limit) and read, nothing is written to the contacts; the answer
 * suggests the mapping and previews the first rows with it. The rest of the file is counted afterwards.
 */
export async function createDraft(deps: Deps, d: NewDraft): Promise<DraftView> {
  await expireDrafts(deps)
  const options = await checkImportOptions(deps, d.options)
  const id = deps.newId()
  const path = draftPath(deps.config.spoolDir, id)
  await d.keep(path)
  try {
    await createImport(deps.sql, { id, status: 'draft', source: 'file', fileName: d.fileName, ownerId: d.ownerId, onDuplicate: d.onDuplicate, runnerId: deps.importRunner.id, bytesTotal: d.size, now: deps.now() })
    const p = await previewFile(deps, id, d.ownerId, d.onDuplicate, await openDraftFile(path), d.mapping, { fileName: d.fileName, contentType: d.contentType })
    await recordImportFormat(deps.sql, id, { headers: p.headers, ignoredColumns: p.map.ignored, encoding: p.view.encoding, delimiter: p.view.delimiter })
    await recordImportOptions(deps.sql, id, options)
    await saveDraftFile(deps.sql, id, path, mappingOf(p.map))
    void countRest(deps, id, path, p)
    return { id, fileName: d.fileName, onDuplicate: d.onDuplicate, ...p.view }
  } catch (error) {
    await deleteDraft(deps.sql, id)
    await removeDraftFile(path)
    throw error
  }
}

/**
 * Counts the rows after the answer, so that the draft can say how many the file has: a byte scan for record ends
 * (domain/csv/count.ts) or card starts, not a parse, since it shares the event loop with every request. UTF-16 files are not counted.
 */
async function countRest(deps: Deps, id: string, path: string, p: Previewed): Promise<void> {
  await p.items.return?.()
  if (p.view.encoding.startsWith('utf-16')) return
  try {
    if (p.view.delimiter === VCARD_DELIMITER) {
      // A vCard's rows are its cards, each begun by a BEGIN:VCARD line (domain/vcard/count.ts); it has no header record.
      const cards = startCardCount()
      for await (const chunk of await openDraftFile(path)) countCardsIn(cards, chunk as Uint8Array)
      await recordDraftRows(deps.sql, id, cards.cards)
      return
    }
    const count = startCount()
    for await (const chunk of await openDraftFile(path)) countChunk(count, chunk as Uint8Array)
    // The header is a record too.
    await recordDraftRows(deps.sql, id, Math.max(0, endCount(count) - 1))
  } catch (error) {
    deps.logger.warn({ err: error, importId: id }, 'counting the rows of a draft failed')
  }
}

async function draftOf(deps: Deps, actor: User, id: string) {
  const found = await importFor(deps, actor, id)
  if (found === null) throw new AppError('not_found', 'No such import.')
  if (found.status !== 'draft') throw new AppError('conflict', `Import ${id} is not a draft any more: it was started already.`)
  const file = await getDraftFile(deps.sql, id)
  if (file === null) throw new AppError('conflict', `Import ${id} is not a draft any more: it was started already.`)
  return { found, file }
}

/** The draft again, with another mapping if given (the console's selects). */
export async function draftView(deps: Deps, actor: User, id: string, change: { mapping?: Mapping | undefined; onDuplicate?: OnDuplicate | undefined } = {}): Promise<DraftView> {
  const { found, file } = await draftOf(deps, actor, id)
  const onDuplicate = change.onDuplicate ?? found.onDuplicate
  const p = await previewFile(deps, id, found.ownerId, onDuplicate, await openDraftFile(file.path), change.mapping ?? file.mapping ?? undefined, recordedFileHints(found))
  await p.items.return?.()
  return { id, fileName: found.fileName, onDuplicate, ...p.view }
}

/** Starts a draft with the mapping confirmed (or the suggestion), once; the mapping is remembered for the same header row. */
export async function startDraft(deps: Deps, actor: User, id: string, s: { mapping?: Mapping | undefined; onDuplicate?: OnDuplicate | undefined; options?: ImportOptionsInput | undefined }): Promise<StartedImport> {
  requireBackgroundJobs(deps)
  const { found, file } = await draftOf(deps, actor, id)
  // Given at the start they replace those given with the file; the job reads them from the import.
  if (s.options !== undefined) await recordImportOptions(deps.sql, id, await checkImportOptions(deps, s.options))
  const limit = deps.config.limits.importBytes
  let reader: CsvReader
  let items: AsyncIterator<CsvItem>
  let header: Awaited<ReturnType<typeof readHeader>>
  try {
    reader = await openContactFile(await openDraftFile(file.path), limit, recordedFileHints(found))
    items = reader.items[Symbol.asyncIterator]()
    header = await readHeader(items)
  } catch (error) {
    throw fileError(error, limit)
  }
  if (header === null) throw new AppError('empty_file', 'The file is empty: there is no header row and no data.')
  let map: ColumnMap
  try {
    map = await columnsFor(deps, header.headers, s.mapping ?? file.mapping ?? undefined)
  } catch (error) {
    await items.return?.()
    throw error
  }
  await items.return?.()
  const onDuplicate = s.onDuplicate ?? found.onDuplicate
  const mapping = mappingOf(map)
  // Kept in the database before the draft is started, so that the job that runs it may run on any process.
  await storeImportFile(deps.sql, id, await openDraftFile(file.path))
  if (!(await startDraftImport(deps.sql, id, { runnerId: null, mapping, onDuplicate }))) {
    await deleteImportFile(deps.sql, id)
    throw new AppError('conflict', `Import ${id} is not a draft any more: it was started already.`)
  }
  await removeDraftFile(file.path)
  await rememberMapping(deps.sql, header.headers, mapping, actor.id, deps.now())
  await queueImport(deps, id, mapping)
  return { id, follow: () => followImport(deps, id, undefined) }
}

/** Deletes a draft and its file; 409 for an import that was started. */
export async function cancelDraft(deps: Deps, actor: User, id: string): Promise<void> {
  await draftOf(deps, actor, id)
  const path = await deleteDraft(deps.sql, id)
  if (path === undefined) throw new AppError('conflict', `Import ${id} is not a draft any more: it was started already.`)
  if (path !== null) await removeDraftFile(path)
}
