import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { mapColumns } from '../../../domain/csv/columns.ts'
import { readRow } from '../../../domain/csv/row.ts'

const ctx = { today: '2026-11-23' }
const HEADERS = ['Mobile Phone', 'E-mail Address', 'Birthday', 'City', 'Postal Code', 'Country/Region', 'Organization Name', 'First Name', 'Instagram']

/** The same header as tools write it: any case, separators, a "- Value" suffix. */
const decorated = (h: string) => fc.tuple(fc.constantFrom(' ', '_', '-', '.', ''), fc.boolean(), fc.constantFrom('lower', 'upper', 'same'))
  .map(([sep, value, c]) => {
    const text = h.split(/[\s/-]+/).join(sep === '' ? ' ' : sep) + (value ? ' - Value' : '')
    return c === 'lower' ? text.toLowerCase() : c === 'upper' ? text.toUpperCase() : text
  })

describe('column matching, property-based', () => {
  it('matches a header whatever its case, separators and value suffix', () => {
    const plain = mapColumns(HEADERS)
    if (!plain.ok) throw new Error(plain.message)
    fc.assert(fc.property(fc.tuple(...HEADERS.map(decorated)), (headers) => {
      const m = mapColumns(headers)
      expect(m.ok && m.map.targets).toEqual(plain.map.targets)
    }))
  })

  it('never fails a row for a descriptive value: a valid mobile always imports, whatever the rest says', () => {
    const map = mapColumns(HEADERS)
    if (!map.ok) throw new Error(map.message)
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 300 }), { minLength: 7, maxLength: 7 }), (rest) => {
      const record = ['+447400123123', '', ...rest]
      const r = readRow(record, map.map, ctx)
      expect(r.kind).toBe('contact')
      if (r.kind === 'contact') expect(r.fields.mobile).toBe('+447400123123')
    }))
  })

  it('among several phone columns, exactly one is the mobile and one that says mobile wins it', () => {
    const phones = ['Phone', 'Home Phone', 'Business Phone', 'Other Phone', 'Phone Number', 'Primary Phone']
    fc.assert(fc.property(fc.shuffledSubarray(phones, { minLength: 1 }), fc.nat(), (cols, at) => {
      const headers = [...cols]
      headers.splice(at % (headers.length + 1), 0, 'Mobile')
      const m = mapColumns(headers)
      expect(m.ok && m.map.targets.filter((t) => t === 'mobile')).toHaveLength(1)
      expect(m.ok && m.map.targets[headers.indexOf('Mobile')]).toBe('mobile')
      expect(m.ok && m.map.targets.filter((t) => t === 'otherMobile')).toHaveLength(cols.length)
    }))
  })
})
