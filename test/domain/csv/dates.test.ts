import { describe, expect, it } from 'vitest'
import { readSpreadsheetDate } from '../../../domain/csv/dates.ts'

describe('readSpreadsheetDate', () => {
  it.each([
    ['1990-04-25', '1990-04-25'],
    ['1990/4/5', '1990-04-05'],
    ['1990-04-25T00:00:00Z', '1990-04-25'],
    ['1990-04-25 13:45', '1990-04-25'],
    ['25.04.1990', '1990-04-25'],
    ['25/04/1990', '1990-04-25'],
    ['04/25/1990', '1990-04-25'],
    ['4-4-1990', '1990-04-04'],
    ['32988', '1990-04-25'],
  ])('reads %s', (raw, iso) => {
    expect(readSpreadsheetDate(raw)).toEqual({ ok: true, iso })
  })

  it('never guesses day and month', () => {
    const r = readSpreadsheetDate('03/04/1990')
    expect(r.ok).toBe(false)
    expect(!r.ok && r.message).toContain('ambiguous')
  })

  it('refuses what is not a date', () => {
    expect(readSpreadsheetDate('next tuesday').ok).toBe(false)
  })
})
