/**
 * Files that are not text, recognized by their first bytes (magic numbers), with what to do about them: a
 * spreadsheet saved as .xlsx is the usual mistake, and reading it as CSV would fail every row with nonsense.
 */
const SIGNATURES: { bytes: number[]; offset?: number; message: string }[] = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], message: 'this is an Excel file (.xlsx) or another zip archive, not CSV; open it in Excel or Sheets and save it as CSV (File → Save as / Download → .csv)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], message: 'this is an Excel file (.xls), not CSV; open it in Excel and save it as CSV (File → Save as → CSV UTF-8)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], message: 'this is a PDF, not CSV; export the contacts from the tool they came from as CSV' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], message: 'this is an image (PNG), not CSV' },
  { bytes: [0xff, 0xd8, 0xff], message: 'this is an image (JPEG), not CSV' },
  { bytes: [0x47, 0x49, 0x46, 0x38], message: 'this is an image (GIF), not CSV' },
  { bytes: [0x57, 0x45, 0x42, 0x50], offset: 8, message: 'this is an image (WebP), not CSV' },
  { bytes: [0x1f, 0x8b], message: 'this is a gzip archive, not CSV; unpack it and send the CSV inside' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], message: 'this is a 7-Zip archive, not CSV; unpack it and send the CSV inside' },
  { bytes: [0x52, 0x61, 0x72, 0x21], message: 'this is a RAR archive, not CSV; unpack it and send the CSV inside' },
]

/** Why the file is not a CSV, from its first bytes, or null when it may be text. */
export function notTextReason(head: Uint8Array): string | null {
  for (const s of SIGNATURES) {
    const at = s.offset ?? 0
    if (head.length >= at + s.bytes.length && s.bytes.every((b, i) => head[at + i] === b)) return s.message
  }
  return null
}
