import { once } from 'node:events'
import { parse, type CsvError } from 'csv-parse'
import { CsvDecoder, type CsvEncoding } from '../../domain/csv/decode.ts'
import { notTextReason } from '../../domain/csv/magic.ts'
import { sniffDelimiter, type Delimiter } from '../../domain/csv/sniff.ts'

/** One record with the row number a spreadsheet shows (the first record is row 1), or one that could not be read. */
export type CsvItem =
  | { kind: 'record'; row: number; values: string[] }
  | { kind: 'unreadable'; row: number; message: string }

/** The bytes stopped coming (a client that went away, a dropped connection): not the file's fault. */
export class UploadInterrupted extends Error {
  constructor(readonly bytesRead: number, cause: unknown) {
    super(`the upload ended early after ${bytesRead} bytes (${cause instanceof Error ? cause.message : String(cause)})`)
  }
}

export class FileTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`the file is larger than ${Math.round(limit / 1024 / 1024)} MB`)
  }
}

/** The file is a spreadsheet, a PDF, an image or an archive rather than text (its first bytes say so). */
export class NotText extends Error {}

/** A record that does not fit in memory ends the reading: csv-parse cannot resynchronize after it. */
export const MAX_RECORD_CHARS = 1024 * 1024

const SAMPLE_CHARS = 64 * 1024
const SAMPLE_LINES = 50

function countLines(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1 && n < SAMPLE_LINES; i = text.indexOf('\n', i + 1)) n++
  return n
}

export type CsvReader = {
  /** The charset the text was read in: the file's (CsvDecoder), or the one a vCard's values name. */
  encoding: () => string
  /** The CSV delimiter, or "vcard" for a vCard file (vcard-reader.ts), whose cards become records. */
  delimiter: Delimiter | 'vcard'
  bytesRead: () => number
  /** Why reading stopped before the end of the file, if it did. */
  stoppedEarly: () => string | null
  items: AsyncIterable<CsvItem>
}

function describeSkip(error: CsvError | undefined): string {
  switch (error?.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted value starts here and is never closed, so this row could not be read'
    default:
      return `the row could not be read as CSV (${error?.message ?? 'unknown error'})`
  }
}

/** An upload's bytes as text, chunk by chunk: see openCsv. Shared with the vCard reader. */
export type DecodedUpload = { text: AsyncGenerator<string>; bytesRead: () => number; encoding: () => CsvEncoding }

/**
 * Decodes an upload as it streams (CsvDecoder): refused as NotText when its first bytes are a spreadsheet, a PDF,
 * an image or an archive, FileTooLarge past `maxBytes`, UploadInterrupted when the source breaks off.
 */
export function decodeUpload(source: AsyncIterable<Uint8Array>, maxBytes: number): DecodedUpload {
  const decoder = new CsvDecoder()
  let bytes = 0
  async function* text(): AsyncGenerator<string> {
    const chunks = source[Symbol.asyncIterator]()
    for (;;) {
      let next: IteratorResult<Uint8Array>
      try {
        next = await chunks.next()
      } catch (error) {
        throw new UploadInterrupted(bytes, error)
      }
      if (next.done === true) break
      if (bytes === 0) {
        const notText = notTextReason(next.value.subarray(0, 16))
        if (notText !== null) throw new NotText(notText)
      }
      bytes += next.value.length
      if (bytes > maxBytes) throw new FileTooLarge(maxBytes)
      const part = decoder.decode(next.value)
      if (part !== '') yield part
    }
    const tail = decoder.end()
    if (tail !== '') yield tail
  }
  return { text: text(), bytesRead: () => bytes, encoding: () => decoder.encoding }
}

/**
 * Streams records out of raw bytes: decoding (BOM, UTF-16, Windows-1252 fallback), delimiter sniffing on the
 * first lines, then csv-parse with backpressure. At most one chunk of the file and one record are in memory.
 */
export async function openCsv(source: AsyncIterable<Uint8Array>, maxBytes: number): Promise<CsvReader> {
  const upload = decodeUpload(source, maxBytes)
  const chunks = upload.text
  let sample = ''
  // Enough to sniff the delimiter: 64 KB or 50 lines, whichever comes first (a slow upload must not wait for more).
  for (;;) {
    if (sample.length >= SAMPLE_CHARS || countLines(sample) >= SAMPLE_LINES) break
    const next = await chunks.next()
    if (next.done === true) break
    sample += next.value
  }
  const delimiter = sniffDelimiter(sample)
  const skipped: { error: CsvError | undefined }[] = []
  let stopped: string | null = null
  const parser = parse({
    delimiter,
    bom: false,
    relax_quotes: true,
    relax_column_count: true,
    skip_records_with_error: true,
    max_record_size: MAX_RECORD_CHARS,
    on_skip: (error) => {
      skipped.push({ error })
      return undefined
    },
  })
  const feeding = (async () => {
    if (sample !== '' && !parser.write(sample)) await once(parser, 'drain')
    for await (const part of chunks) {
      if (!parser.write(part)) await once(parser, 'drain')
    }
    parser.end()
  })()
  feeding.catch((error: unknown) => parser.destroy(error instanceof Error ? error : new Error(String(error))))

  async function* items(): AsyncGenerator<CsvItem> {
    let row = 0
    try {
      for await (const values of parser as AsyncIterable<string[]>) {
        row++
        yield { kind: 'record', row, values }
      }
      await feeding
    } finally {
      if (!parser.destroyed) parser.destroy()
    }
    // csv-parse reports unreadable records out of band; the only one it can recover from is the last record.
    for (const s of skipped) {
      row++
      if (s.error?.code === 'CSV_MAX_RECORD_SIZE') {
        stopped = `row ${row} is longer than ${MAX_RECORD_CHARS} characters (often a quote that is never closed); reading stopped there`
        yield { kind: 'unreadable', row, message: `the row is longer than ${MAX_RECORD_CHARS} characters` }
        break
      }
      yield { kind: 'unreadable', row, message: describeSkip(s.error) }
    }
  }
  return { encoding: upload.encoding, delimiter, bytesRead: upload.bytesRead, stoppedEarly: () => stopped, items: items() }
}
