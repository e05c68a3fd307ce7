import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { CsvDecoder } from '../../../domain/csv/decode.ts'

function decodeInChunks(bytes: Uint8Array, size: number): { text: string; decoder: CsvDecoder } {
  const decoder = new CsvDecoder()
  let text = ''
  for (let i = 0; i < bytes.length; i += size) text += decoder.decode(bytes.subarray(i, i + size))
  return { text: text + decoder.end(), decoder }
}

const utf8 = (s: string) => new TextEncoder().encode(s)
function utf16(s: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2)
  const view = new DataView(out.buffer)
  view.setUint16(0, 0xfeff, littleEndian)
  for (let i = 0; i < s.length; i++) view.setUint16(2 + i * 2, s.charCodeAt(i), littleEndian)
  return out
}

describe('CsvDecoder', () => {
  const text = 'name,city\nJosé,Zürich\n'

  it('reads UTF-8 with and without a BOM, in chunks of any size', () => {
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(decodeInChunks(utf8(text), size).text).toBe(text)
      expect(decodeInChunks(utf8(`\ufeff${text}`), size).text).toBe(text)
    }
  })

  it('reads UTF-16 little and big endian by their BOM', () => {
    for (const le of [true, false]) {
      const r = decodeInChunks(utf16(text, le), 3)
      expect(r.text).toBe(text)
      expect(r.decoder.encoding).toBe(le ? 'utf-16le' : 'utf-16be')
    }
  })

  it('falls back to Windows-1252 when the bytes are not UTF-8, even late in the file', () => {
    const ascii = 'name,city\n'.repeat(50)
    const bytes = new Uint8Array([...utf8(ascii), 0x4a, 0x6f, 0x73, 0xe9, 0x2c, 0x80, 0x0a])
    const r = decodeInChunks(bytes, 16)
    expect(r.text).toBe(`${ascii}José,€\n`)
    expect(r.decoder.encoding).toBe('windows-1252')
  })

  it('replaces stray bytes in a file that is otherwise UTF-8 and says so', () => {
    const r = decodeInChunks(new Uint8Array([...utf8('Zürich\n'), 0xff, 0x0a]), 4)
    expect(r.text.startsWith('Zürich\n')).toBe(true)
    expect(r.text).toContain('\ufffd')
    expect(r.decoder.replacedInvalidBytes).toBe(true)
  })

  it('decodes any UTF-8 text identically to a one-shot decode, whatever the chunking', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), fc.integer({ min: 1, max: 9 }), (s, size) => {
      expect(decodeInChunks(utf8(s), size).text).toBe(s.replace(/^\ufeff/, ''))
    }))
  })
})
