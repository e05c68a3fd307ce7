import { describe, expect, it } from 'vitest'
import { decodeQuotedPrintable, nameBareParams } from '../../../domain/vcard/v21.ts'

describe('nameBareParams', () => {
  it.each([
    ['TEL;CELL;PREF:+49 151 23456789', 'TEL;TYPE=CELL;TYPE=PREF:+49 151 23456789'],
    ['EMAIL;INTERNET;HOME:a@example.com', 'EMAIL;TYPE=INTERNET;TYPE=HOME:a@example.com'],
    ['FN;CHARSET=UTF-8;QUOTED-PRINTABLE:Jos=C3=A9', 'FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:Jos=C3=A9'],
    ['item1.TEL;WORK;;VOICE:1', 'item1.TEL;TYPE=WORK;TYPE=VOICE:1'],
  ])('names the bare parameters of %s', (line, expected) => {
    expect(nameBareParams(line)).toBe(expected)
  })

  it.each([
    'TEL;TYPE=CELL:+1',
    'FN:Ann; Bob: and Carl',
    'ADR;TYPE=work;LABEL="1 Main St;London: UK":;;1 Main St;London;;;UK',
    'TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+44-7400-900123',
  ])('leaves %s as it is', (line) => {
    expect(nameBareParams(line)).toBe(line)
  })
})

describe('decodeQuotedPrintable', () => {
  it('decodes bytes in the charset named', () => {
    expect(decodeQuotedPrintable('M=C3=BCller', 'UTF-8')).toBe('Müller')
    expect(decodeQuotedPrintable('M=FCller', 'ISO-8859-1')).toBe('Müller')
    expect(decodeQuotedPrintable('Line one=0D=0ALine two', undefined)).toBe('Line one\r\nLine two')
  })

  it('reads bytes that are not valid in the charset (or UTF-8 when none is named) as Windows-1252', () => {
    expect(decodeQuotedPrintable('Jos=E9', undefined)).toBe('José')
    expect(decodeQuotedPrintable('Jos=E9', 'UTF-8')).toBe('José')
    expect(decodeQuotedPrintable('Jos=C3=A9', 'no-such-charset')).toBe('José')
  })

  it('keeps an = that starts no hex pair, and characters a lax writer did not encode', () => {
    expect(decodeQuotedPrintable('a=b =3D ü', 'UTF-8')).toBe('a=b = ü')
  })
})
