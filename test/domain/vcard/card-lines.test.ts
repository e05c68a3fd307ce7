import { describe, expect, it } from 'vitest'
import { CardSplitter, type CardText } from '../../../domain/vcard/card-lines.ts'

/** Splits text fed in pieces of `size` characters, as chunks of a stream arrive. */
function split(text: string, size = text.length, maxChars = 10_000): CardText[] {
  const splitter = new CardSplitter(maxChars)
  const cards: CardText[] = []
  for (let i = 0; i < text.length; i += size) cards.push(...splitter.push(text.slice(i, i + size)))
  cards.push(...splitter.end())
  return cards
}

const crlf = (...lines: string[]) => `${lines.join('\r\n')}\r\n`

describe('CardSplitter', () => {
  it('gives each card its content lines, without BEGIN/END, whatever the chunk size and line ending', () => {
    const text = crlf('BEGIN:VCARD', 'VERSION:3.0', 'FN:Ann', 'END:VCARD', 'BEGIN:VCARD', 'VERSION:4.0', 'FN:Bob', 'END:VCARD')
    const expected = [{ lines: ['VERSION:3.0', 'FN:Ann'], tooLong: false }, { lines: ['VERSION:4.0', 'FN:Bob'], tooLong: false }]
    for (const size of [1, 2, 3, 7, 64]) {
      expect(split(text, size)).toEqual(expected)
      expect(split(text.replace(/\r\n/g, '\n'), size)).toEqual(expected)
      expect(split(text.replace(/\r\n/g, '\r'), size)).toEqual(expected)
    }
  })

  it('unfolds lines continued with a space or a tab (RFC 6350 §3.2)', () => {
    const text = crlf('BEGIN:VCARD', 'NOTE:a long', '  note that goes', '\ton', 'END:VCARD')
    expect(split(text, 5)[0]?.lines).toEqual(['NOTE:a long note that goeson'])
  })

  it("joins 2.1's quoted-printable soft line breaks, whose next line is not indented", () => {
    const text = crlf('BEGIN:VCARD', 'VERSION:2.1', 'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 Mar=', '=C3=ADa and =', 'more', 'TEL;CELL:1', 'END:VCARD')
    expect(split(text, 4)[0]?.lines).toEqual(['VERSION:2.1', 'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9 Mar=C3=ADa and more', 'TEL;CELL:1'])
  })

  it('does not let a stray = at the end of a quoted-printable value swallow END:VCARD', () => {
    const text = crlf('BEGIN:VCARD', 'NOTE;QUOTED-PRINTABLE:broken=', 'END:VCARD', 'BEGIN:VCARD', 'FN:Next', 'END:VCARD')
    expect(split(text).map((c) => c.lines)).toEqual([['NOTE;QUOTED-PRINTABLE:broken='], ['FN:Next']])
  })

  it('leaves photos, logos, sounds and keys out, folded (3.0/4.0) or as 2.1 data lines up to a blank line', () => {
    const text = crlf(
      'BEGIN:VCARD', 'FN:Ann', 'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ', ' SkZJRgABAQ', ' AAAQABAAD', 'item1.LOGO:data:image/png;base64,iVBOR', 'EMAIL:ann@example.com',
      'PHOTO;ENCODING=BASE64;JPEG:', '/9j/4AAQSkZJRgABAQEASABIAAD', 'AAAQABAAD/2wBDAAgGBgcGBQ==', '', 'TEL;CELL:+1', 'END:VCARD',
    )
    expect(split(text, 3)[0]?.lines).toEqual(['FN:Ann', 'EMAIL:ann@example.com', 'TEL;CELL:+1'])
  })

  it('ignores text outside cards and skips a card embedded in another (2.1 AGENT)', () => {
    const text = crlf('junk before', 'BEGIN:VCARD', 'FN:Boss', 'AGENT:', 'BEGIN:VCARD', 'FN:Assistant', 'TEL:2', 'END:VCARD', 'TEL:1', 'END:VCARD', 'junk after')
    expect(split(text)).toEqual([{ lines: ['FN:Boss', 'AGENT:', 'TEL:1'], tooLong: false }])
  })

  it('keeps a last card without END:VCARD, and finds none in text without BEGIN:VCARD', () => {
    expect(split('BEGIN:VCARD\nFN:Cut\nTEL:1')).toEqual([{ lines: ['FN:Cut', 'TEL:1'], tooLong: false }])
    expect(split('Name,Phone\nAnn,1\n')).toEqual([])
  })

  it('marks a card longer than the limit and drops its lines, then reads the next card', () => {
    const long = `NOTE:${'x'.repeat(200)}`
    const text = crlf('BEGIN:VCARD', 'FN:Big', long, 'END:VCARD', 'BEGIN:VCARD', 'FN:Small', 'END:VCARD')
    expect(split(text, 16, 100)).toEqual([{ lines: [], tooLong: true }, { lines: ['FN:Small'], tooLong: false }])
  })

  it('skips a photo on one unfolded line longer than the limit, without holding it', () => {
    const text = crlf('BEGIN:VCARD', 'FN:Ann', `PHOTO:data:image/jpeg;base64,${'A'.repeat(5000)}`, 'TEL:1', 'END:VCARD')
    expect(split(text, 64, 1000)).toEqual([{ lines: ['FN:Ann', 'TEL:1'], tooLong: false }])
    expect(split(crlf('BEGIN:VCARD', `NOTE:${'B'.repeat(5000)}`, 'END:VCARD', 'BEGIN:VCARD', 'FN:Bob', 'END:VCARD'), 64, 1000))
      .toEqual([{ lines: [], tooLong: true }, { lines: ['FN:Bob'], tooLong: false }])
  })

  it('holds no more than the limit of a card that never ends', () => {
    const splitter = new CardSplitter(1000)
    splitter.push('BEGIN:VCARD\r\n')
    for (let i = 0; i < 10_000; i++) expect(splitter.push(`NOTE:${'y'.repeat(100)}\r\n`)).toEqual([])
    expect(splitter.end()).toEqual([{ lines: [], tooLong: true }])
  })
})
