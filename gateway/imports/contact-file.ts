import { hintsSayVcard, startsWithVcard, type FileHints } from '../../domain/vcard/sniff.ts'
import { openCsv, UploadInterrupted, type CsvReader } from './reader.ts'
import { openVcard, VCARD_DELIMITER } from './vcard-reader.ts'

export type { FileHints }

/** Enough of the head to see past a BOM and blank lines to BEGIN:VCARD. */
const SNIFF_BYTES = 4096

/**
 * Opens an uploaded contacts file with the reader its format needs: vCard when its text starts with BEGIN:VCARD
 * (after a BOM and blank lines), or its name or content type says vCard; CSV otherwise. The head read to decide is
 * handed on to the reader with the rest, so the file still streams.
 */
export async function openContactFile(source: AsyncIterable<Uint8Array>, maxBytes: number, hints: FileHints = {}): Promise<CsvReader> {
  const chunks = source[Symbol.asyncIterator]()
  const head: Uint8Array[] = []
  let size = 0
  let ended = false
  let vcard: boolean | null = null
  while (vcard === null && size < SNIFF_BYTES) {
    let next: IteratorResult<Uint8Array>
    try {
      next = await chunks.next()
    } catch (error) {
      throw new UploadInterrupted(size, error)
    }
    if (next.done === true) {
      ended = true
      break
    }
    head.push(next.value)
    size += next.value.length
    vcard = startsWithVcard(head.length === 1 ? next.value : Buffer.concat(head))
  }
  async function* bytes(): AsyncGenerator<Uint8Array> {
    yield* head
    head.length = 0
    if (ended) return
    for (;;) {
      const next = await chunks.next()
      if (next.done === true) return
      yield next.value
    }
  }
  return vcard === true || hintsSayVcard(hints) ? openVcard(bytes(), maxBytes) : openCsv(bytes(), maxBytes)
}

/** How a recorded import's file is to be read again (a draft started, a job resuming): by its name and the format it was read in. */
export function recordedFileHints(i: { fileName: string | null; delimiter: string | null }): FileHints {
  return { fileName: i.fileName, contentType: i.delimiter === VCARD_DELIMITER ? 'text/vcard' : null }
}
