import { createReadStream, createWriteStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import { getImport, type ImportRecord } from '../../storage/imports/history.ts'
import { builtinAdminId } from '../../storage/users.ts'
import { startFileImport } from '../actions/imports.ts'
import type { Deps } from '../deps.ts'
import { AppError } from '../actions/errors.ts'
import { failuresAsCsv } from './failures.ts'

export const IMPORT_USAGE = `Usage: npm run import -- <file.csv|file.vcf> [--update] [--owner <userId>] [--failures <out.csv>] [--json]
  --update          fill empty fields of contacts that already exist instead of skipping those rows
  --owner <userId>  who owns the new contacts (default: the built-in admin)
  --failures <file> write the rows that were not imported, with their reasons, to this CSV file
  --json            print the final import record as JSON`

const PROGRESS_EVERY_MS = 1000

export type CliOutput = { out: (line: string) => void; err: (line: string) => void }

function summary(i: ImportRecord): string {
  const head = `${i.status}: ${i.totalRows} rows — ${i.imported} imported, ${i.updated} updated, ${i.duplicates} duplicates, ${i.failed} failed${i.warnings > 0 ? ` (${i.warnings} imported without a value they had: see --failures)` : ''}`
  const more = i.ignoredColumnCount - i.ignoredColumns.length
  const ignored = i.ignoredColumns.length > 0 ? `\nignored columns: ${i.ignoredColumns.join(', ')}${more > 0 ? ` and ${more} more` : ''}` : ''
  const reason = i.failureReason !== null ? `\nreason: ${i.failureReason}` : ''
  return `${head}${ignored}${reason}\nimport id: ${i.id}`
}

function parseCliArgs(argv: string[]) {
  return parseArgs({
    args: argv, allowPositionals: true,
    options: { update: { type: 'boolean' }, owner: { type: 'string' }, failures: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
  })
}

/** `npm run import`: the same pipeline as POST /v1/imports (CSV or vCard, told by name or content), with progress on stderr. Returns the exit code. */
export async function runImportCli(argv: string[], deps: Deps, io: CliOutput): Promise<number> {
  let args: ReturnType<typeof parseCliArgs>
  try {
    args = parseCliArgs(argv)
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${IMPORT_USAGE}`)
    return 2
  }
  const file = args.positionals[0]
  if (args.values.help === true || file === undefined) {
    io.err(IMPORT_USAGE)
    return args.values.help === true ? 0 : 2
  }
  const size = await stat(file).then((s) => s.size, () => null)
  if (size === null) {
    io.err(`cannot read ${file}`)
    return 2
  }
  const ownerId = args.values.owner ?? (await builtinAdminId(deps.sql))
  let started: Awaited<ReturnType<typeof startFileImport>>
  try {
    started = await startFileImport(deps, {
      bytes: createReadStream(file, { highWaterMark: 256 * 1024 }), fileName: basename(file), bytesTotal: size, ownerId,
      onDuplicate: args.values.update === true ? 'update' : 'skip',
      progress: { everyMs: PROGRESS_EVERY_MS, report: (i) => io.err(`… ${i.totalRows} rows, ${size === 0 ? 100 : Math.floor((i.bytesRead / size) * 100)}%`) },
    })
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    io.err(`refused: ${error.message}`)
    return 2
  }
  const done = await started.follow()
  const record = done ?? (await getImport(deps.sql, started.id))
  if (record === null) return 1
  io.out(args.values.json === true ? JSON.stringify(record) : summary(record))
  if (args.values.failures !== undefined && record.duplicates + record.failed + record.warnings > 0) {
    await pipeline(Readable.from(failuresAsCsv(deps.sql, record.id, record.headers)), createWriteStream(args.values.failures))
    io.err(`rows not imported written to ${args.values.failures}`)
  }
  return record.status === 'completed' ? 0 : 1
}
