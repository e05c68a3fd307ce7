/**
 * Counts the cards in raw vCard bytes as they stream, without parsing them: a line that starts with BEGIN:VCARD
 * (any case) begins one. Byte-wise, so for ASCII-compatible encodings (UTF-8, Windows-1252), as domain/csv/count.ts.
 * A card embedded in another (2.1's AGENT) is counted too; exports of address books do not write them.
 */
export type CardCount = { cards: number; matched: number; lineStart: boolean }

const BEGIN = Array.from('BEGIN:VCARD', (c) => c.charCodeAt(0))
const NEWLINE = 0x0a
const CARRIAGE_RETURN = 0x0d

export function startCardCount(): CardCount {
  return { cards: 0, matched: 0, lineStart: true }
}

export function countCardsIn(c: CardCount, bytes: Uint8Array): void {
  let { cards, matched, lineStart } = c
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!
    if (b === NEWLINE || b === CARRIAGE_RETURN) {
      lineStart = true
      matched = 0
    } else if (lineStart && matched === 0 && (b === 0xef || b === 0xbb || b === 0xbf)) {
      // A UTF-8 byte order mark before the first card.
      continue
    } else if (lineStart) {
      // Upper-cased: letters differ from their capitals by 0x20 in ASCII.
      const upper = b >= 0x61 && b <= 0x7a ? b - 0x20 : b
      if (upper === BEGIN[matched]) {
        matched++
        if (matched === BEGIN.length) {
          cards++
          lineStart = false
        }
      } else lineStart = false
    }
  }
  c.cards = cards
  c.matched = matched
  c.lineStart = lineStart
}
