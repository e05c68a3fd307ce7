import { CRM_NAMES, type ImportRecord } from '../gateway/actions/vocabulary.ts'

/** What a person calls the import: the file's name, or the CRM it pulled from. */
function importName(i: ImportRecord): string {
  return i.source === 'file' ? (i.fileName ?? 'the file') : `the ${CRM_NAMES[i.source]} sync`
}

function n(value: number): string {
  return value.toLocaleString('en-US')
}

export function importProgressText(i: ImportRecord): string {
  const percent = i.bytesTotal !== null && i.bytesTotal > 0 ? ` (${Math.min(100, Math.floor((i.bytesRead / i.bytesTotal) * 100))}%)` : ''
  return `Importing ${importName(i)}… ${n(i.totalRows)} rows so far${percent}`
}

export function importSummaryText(i: ImportRecord): string {
  const head = i.status === 'completed' ? `Import of ${importName(i)} finished` : `Import of ${importName(i)} failed: ${i.failureReason ?? 'unknown reason'}`
  const lines = [
    head,
    `${n(i.totalRows)} rows: ${n(i.imported)} imported, ${n(i.updated)} updated, ${n(i.duplicates)} duplicates, ${n(i.failed)} failed`,
  ]
  if (i.warnings > 0) lines.push(`${n(i.warnings)} imported without a value that could not be read (a birthday without a year, an unknown country…)`)
  if (i.ignoredColumns.length > 0) lines.push(`Ignored columns: ${i.ignoredColumns.join(', ')}`)
  if (i.duplicates + i.failed + i.warnings > 0) lines.push(`Rows not imported and warnings, with reasons: /failures ${i.id}`)
  return lines.join('\n')
}

export function importLine(i: ImportRecord): string {
  const mark = i.status === 'completed' ? '✅' : i.status === 'failed' ? '❌' : '⏳'
  return `${mark} ${i.fileName ?? i.source} · ${i.createdAt.slice(0, 16).replace('T', ' ')} · ${n(i.totalRows)} rows: ${n(i.imported)} new, ${n(i.updated)} updated, ${n(i.duplicates)} dup, ${n(i.failed)} failed\n   ${i.id}`
}
