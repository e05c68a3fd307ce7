const BEGIN = 'BEGIN:VCARD'
const VCARD_TYPES = new Set(['text/vcard', 'text/x-vcard', 'text/directory'])

/** What the sender said about a file: its name and content type, when known. */
export type FileHints = { fileName?: string | null | undefined; contentType?: string | null | undefined }

/** Whether the name (.vcf, .vcard) or the content type (text/vcard, text/x-vcard, 3.0's text/directory) says vCard. */
export function hintsSayVcard(hints: FileHints): boolean {
  const type = (hints.contentType ?? '').split(';')[0]!.trim().toLowerCase()
  return VCARD_TYPES.has(type) || /\.(vcf|vcard)$/i.test(hints.fileName ?? '')
}

/** The head as text; a character cut off at its end is held back (stream), not turned into U+FFFD. */
function textOf(head: Uint8Array): string {
  if (head[0] === 0xff && head[1] === 0xfe) return new TextDecoder('utf-16le').decode(head.subarray(2), { stream: true })
  if (head[0] === 0xfe && head[1] === 0xff) return new TextDecoder('utf-16be').decode(head.subarray(2), { stream: true })
  // TextDecoder drops a UTF-8 BOM.
  return new TextDecoder('utf-8').decode(head, { stream: true })
}

/**
 * Whether a file's first bytes are a vCard: BEGIN:VCARD after a BOM and blank lines. null while the bytes so far
 * are blank or could still become "BEGIN:VCARD", so the caller reads on.
 */
export function startsWithVcard(head: Uint8Array): boolean | null {
  const text = textOf(head).replace(/^\s+/, '')
  if (text.length >= BEGIN.length) return text.slice(0, BEGIN.length).toUpperCase() === BEGIN
  return BEGIN.startsWith(text.toUpperCase()) ? null : false
}
