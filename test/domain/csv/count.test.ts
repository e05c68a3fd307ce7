import fc from 'fast-check'
import { stringify } from 'csv-stringify/sync'
import { describe, expect, it } from 'vitest'
import { countChunk, endCount, startCount } from '../../../domain/csv/count.ts'

function count(text: string, chunk: number): number {
  const bytes = new TextEncoder().encode(text)
  const c = startCount()
  for (let i = 0; i < bytes.length; i += chunk) countChunk(c, bytes.subarray(i, i + chunk))
  return endCount(c)
}

describe('counting records in bytes', () => {
  it('counts quoted newlines as part of a record and skips blank lines', () => {
    expect(count('a,b\r\n"x\ny",2\n\n;,\n""," "\n3,4', 3)).toBe(3)
  })

  it('agrees with a CSV writer for any values and any chunking', () => {
    fc.assert(fc.property(fc.array(fc.array(fc.oneof(fc.string(), fc.constantFrom('', ' ', ',', '"')), { minLength: 1, maxLength: 4 }), { maxLength: 20 }), fc.integer({ min: 1, max: 50 }), (rows, chunk) => {
      const kept = rows.filter((r) => r.some((v) => v.replace(/[,;|\s"]/g, '') !== ''))
      expect(count(stringify(kept, { quoted: true }), chunk)).toBe(kept.length)
    }))
  })
})
