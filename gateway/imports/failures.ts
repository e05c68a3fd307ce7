import { stringify } from 'csv-stringify/sync'
import { neutralizeCell } from '../../domain/csv/export.ts'
import { listImportRows, type StoredImportRow } from '../../storage/imports/history.ts'
import type { Queryable } from '../../storage/sql.ts'

const PAGE = 2000

/** The rows that were not imported, in file order, a page at a time so that any number of them streams. */
export async function* importFailurePages(sql: Queryable, importId: string): AsyncGenerator<StoredImportRow[]> {
  let after = 0
  for (;;) {
    const rows = await listImportRows(sql, importId, after, PAGE)
    if (rows.length === 0) return
    yield rows
    after = rows[rows.length - 1]!.row
    if (rows.length < PAGE) return
  }
}

/** Keys are the headers; a repeated or missing header gets the column's position so that no value is lost. */
export function rowObject(headers: string[], data: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  data.forEach((value, i) => {
    let key = headers[i] ?? ''
    if (key === '' || key in out) key = `column ${i + 1}${key === '' ? '' : ` (${key})`}`
    out[key] = value
  })
  return out
}

export async function* failuresAsJson(sql: Queryable, importId: string, headers: string[]): AsyncGenerator<string> {
  yield '['
  let first = true
  for await (const rows of importFailurePages(sql, importId)) {
    const parts = rows.map((r) =>
      JSON.stringify({ row: r.row, kind: r.kind, reason: r.reason, data: rowObject(headers, r.data), duplicateOf: r.duplicateOf }))
    yield (first ? '' : ',') + parts.join(',')
    first = false
  }
  yield ']'
}

/**
 * The rows back as a CSV to fix and upload again: row, kind and reason first, then the original columns. Every
 * cell is neutralized, since this file is made to be opened in a spreadsheet; the BOM makes Excel read UTF-8.
 */
export async function* failuresAsCsv(sql: Queryable, importId: string, headers: string[]): AsyncGenerator<string> {
  yield '\ufeff' + stringify([['row', 'kind', 'reason', ...headers].map(neutralizeCell)])
  for await (const rows of importFailurePages(sql, importId)) {
    yield stringify(rows.map((r) => [String(r.row), r.kind, r.reason, ...r.data].map(neutralizeCell)))
  }
}

/** Text as a byte stream for a response or an upload; cancelling it stops the generator (and its queries). */
export function textBytes(text: AsyncIterable<string>): ReadableStream<Uint8Array> {
  return ReadableStream.from(text).pipeThrough(new TextEncoderStream())
}
