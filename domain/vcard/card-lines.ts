/**
 * A card's content lines: unfolded, the BEGIN/END lines taken off, and the properties that carry binary data
 * (photos, logos, sounds, keys) left out, so that a card's size is its text. `tooLong` when its text passed the
 * limit; its lines are then dropped rather than kept.
 */
export type CardText = { lines: string[]; tooLong: boolean }

// Binary data is never imported, and a photo can be most of a file: its lines are skipped as they stream past.
const BINARY = /^(?:[\w-]+\.)?(?:PHOTO|LOGO|SOUND|KEY)[;:]/i
const BEGIN = /^BEGIN:VCARD\s*$/i
const END = /^END:VCARD\s*$/i
const QUOTED_PRINTABLE = /QUOTED-PRINTABLE/i
const LINE_BREAK = /\r\n|\n|\r/g

/**
 * Splits vCard text, chunk by chunk, into cards. Folding (RFC 6350 §3.2: a line break followed by a space or tab
 * continues the line) and 2.1's quoted-printable soft line breaks (a value line ending in `=` continues on the
 * next line, which is not indented) are undone here, because a property parser sees one line at a time. Lines
 * outside BEGIN:VCARD … END:VCARD are ignored; a card embedded in another (2.1's AGENT) is skipped. At most one
 * card's text and one unfinished line are held.
 */
export class CardSplitter {
  #rest = ''
  /** The line being read is too long to hold: its text is dropped up to its end. */
  #dropping = false
  #restEndsWithCr = false
  #depth = 0
  #lines: string[] = []
  #chars = 0
  #tooLong = false
  /** The logical line being unfolded; null between lines. */
  #pending: string | null = null
  #pendingBinary = false
  #pendingQp = false
  #done: CardText[] = []

  constructor(private readonly maxChars: number) {}

  push(text: string): CardText[] {
    let start = 0
    // A CR that ended the last chunk was a line break of its own, or the first half of a CRLF.
    if (this.#restEndsWithCr) {
      this.#restEndsWithCr = false
      this.#rest = this.#rest.slice(0, -1)
      this.#endLine('')
      if (text.startsWith('\n')) start = 1
    }
    LINE_BREAK.lastIndex = start
    for (let m = LINE_BREAK.exec(text); m !== null; m = LINE_BREAK.exec(text)) {
      if (m[0] === '\r' && m.index === text.length - 1) break
      this.#endLine(text.slice(start, m.index))
      start = m.index + m[0].length
    }
    this.#keep(text.slice(start))
    return this.#take()
  }

  /** The end of the text: a last card without its END:VCARD is still a card (the file was cut short, or its writer forgot). */
  end(): CardText[] {
    if (!this.#dropping && this.#rest !== '') this.#line(this.#rest.replace(/\r$/, ''))
    this.#rest = ''
    this.#finishLine()
    if (this.#depth > 0) this.#finishCard()
    return this.#take()
  }

  #endLine(piece: string): void {
    const line = this.#rest + piece
    this.#rest = ''
    if (this.#dropping) this.#dropping = false
    else this.#line(line)
  }

  /**
   * The start of a line whose end has not come yet. A line longer than a card may be is not held: its start is
   * read (so that a photo on one unfolded line is still known as one and skipped) and the rest dropped as it comes.
   */
  #keep(tail: string): void {
    if (this.#dropping) return
    this.#rest += tail
    // Asked of the small tail: asking the long line it joins would flatten that line's string on every chunk.
    this.#restEndsWithCr = tail.endsWith('\r')
    if (this.#rest.length <= this.maxChars) return
    const head = this.#rest.slice(0, 256)
    this.#rest = ''
    this.#dropping = true
    this.#line(head)
    if (this.#depth > 0 && !this.#pendingBinary) this.#overflow()
  }

  #take(): CardText[] {
    const done = this.#done
    this.#done = []
    return done
  }

  #line(line: string): void {
    if (this.#depth === 0) {
      if (BEGIN.test(line)) this.#depth = 1
      return
    }
    const first = line.charCodeAt(0)
    if (first === 0x20 || first === 0x09) {
      if (this.#pending !== null && !this.#pendingBinary) this.#grow(line.slice(1))
      return
    }
    // A soft line break never ends a card: an encoder that left a stray `=` must not swallow END:VCARD.
    if (this.#pending !== null && this.#pendingQp && this.#pending.endsWith('=') && !END.test(line)) {
      this.#pending = this.#pending.slice(0, -1)
      this.#grow(line)
      return
    }
    // 2.1 writers put base64 data on unindented lines up to a blank line; data lines never hold a colon.
    if (this.#pendingBinary && !line.includes(':')) return
    this.#finishLine()
    if (line.trim() === '') return
    if (BEGIN.test(line)) this.#depth++
    else if (END.test(line)) {
      this.#depth--
      if (this.#depth === 0) this.#finishCard()
    } else if (this.#depth === 1) {
      this.#pending = line
      this.#pendingBinary = BINARY.test(line)
      const colon = line.indexOf(':')
      this.#pendingQp = colon > 0 && QUOTED_PRINTABLE.test(line.slice(0, colon))
      if (!this.#pendingBinary) this.#grow('')
    }
  }

  #grow(more: string): void {
    this.#pending += more
    if (this.#chars + (this.#pending?.length ?? 0) > this.maxChars) this.#overflow()
  }

  #overflow(): void {
    this.#tooLong = true
    this.#lines = []
    this.#chars = 0
    // What is left of the line is skipped like binary data.
    this.#pending = ''
    this.#pendingBinary = true
  }

  #finishLine(): void {
    if (this.#pending !== null && !this.#pendingBinary && !this.#tooLong) {
      this.#lines.push(this.#pending)
      this.#chars += this.#pending.length
    }
    this.#pending = null
    this.#pendingBinary = false
    this.#pendingQp = false
  }

  #finishCard(): void {
    this.#finishLine()
    this.#done.push({ lines: this.#lines, tooLong: this.#tooLong })
    this.#lines = []
    this.#chars = 0
    this.#tooLong = false
    this.#depth = 0
  }
}
