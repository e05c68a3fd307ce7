import { describe, expect, it } from 'vitest'
import { countCardsIn, startCardCount } from '../../../domain/vcard/count.ts'
import { hintsSayVcard, startsWithVcard } from '../../../domain/vcard/sniff.ts'

const utf8 = (text: string) => new TextEncoder().encode(text)

function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(2 + text.length * 2)
  out.set([0xff, 0xfe])
  for (let i = 0; i < text.length; i++) out[2 + i * 2] = text.charCodeAt(i)
  return out
}

describe('startsWithVcard', () => {
  it('sees BEGIN:VCARD after a BOM, blank lines and in any case, in UTF-8 and UTF-16', () => {
    expect(startsWithVcard(utf8('BEGIN:VCARD\r\nVERSION:3.0'))).toBe(true)
    expect(startsWithVcard(utf8('\ufeff\r\n\r\n  begin:vcard\n'))).toBe(true)
    expect(startsWithVcard(utf16le('BEGIN:VCARD\r\n'))).toBe(true)
  })

  it('says no for a CSV, and not yet while the bytes are blank or could still become BEGIN:VCARD', () => {
    expect(startsWithVcard(utf8('Name,Mobile\n'))).toBe(false)
    expect(startsWithVcard(utf8('BEGIN,END\n'))).toBe(false)
    expect(startsWithVcard(utf8('\r\n  '))).toBeNull()
    expect(startsWithVcard(utf8('BEGIN:VC'))).toBeNull()
  })
})

describe('hintsSayVcard', () => {
  it.each([
    [{ fileName: 'contacts.VCF' }, true], [{ fileName: 'export.vcard' }, true], [{ contentType: 'text/vcard; charset=utf-8' }, true],
    [{ contentType: 'text/x-vcard' }, true], [{ contentType: 'text/directory' }, true],
    [{ fileName: 'contacts.csv', contentType: 'text/csv' }, false], [{ fileName: null, contentType: null }, false], [{}, false],
  ])('%j → %s', (hints, expected) => {
    expect(hintsSayVcard(hints)).toBe(expected)
  })
})

describe('countCardsIn', () => {
  const file = utf8('\ufeffBEGIN:VCARD\r\nFN:A\r\nNOTE:BEGIN:VCARD is not a card here\r\nEND:VCARD\r\nbegin:vcard\nFN:B\nEND:VCARD\nBEGIN:VCARD\rFN:C\rEND:VCARD')

  it('counts the lines that begin a card, whatever the chunk size', () => {
    for (const size of [1, 2, 5, 11, file.length]) {
      const count = startCardCount()
      for (let i = 0; i < file.length; i += size) countCardsIn(count, file.subarray(i, i + size))
      expect(count.cards).toBe(3)
    }
  })
})
