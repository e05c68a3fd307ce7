/**
 * Counts CSV records in raw bytes as they stream, without parsing them: a newline outside quotes ends a
 * record, and a line with nothing but quotes, delimiters and blanks is not one (the reader skips it too). Byte-wise, so for ASCII-compatible
 * encodings (UTF-8, Windows-1252), where `"`, `\n` and the delimiters are single bytes.
 */
export type RecordCount = { records: number; inQuotes: boolean; lineHasValue: boolean }

export function startCount(): RecordCount {
  return { records: 0, inQuotes: false, lineHasValue: false }
}

const QUOTE = 0x22
const NEWLINE = 0x0a
const BLANK = new Set([0x0a, 0x0d, 0x20, 0x09, 0x2c, 0x3b, 0x7c])

export function countChunk(c: RecordCount, bytes: Uint8Array): void {
  let { records, inQuotes, lineHasValue } = c
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === QUOTE) inQuotes = !inQuotes
    else if (b === NEWLINE && !inQuotes) {
      if (lineHasValue) records++
      lineHasValue = false
    } else if (!lineHasValue && !BLANK.has(b)) lineHasValue = true
  }
  c.records = records
  c.inQuotes = inQuotes
  c.lineHasValue = lineHasValue
}

/** The records counted, the last one included when the file does not end with a newline. */
export function endCount(c: RecordCount): number {
  return c.records + (c.lineHasValue ? 1 : 0)
}
