import { describe, expect, it } from 'vitest'
import { columnLetter, headerKey, mapColumns } from '../../../domain/csv/columns.ts'

describe('mapColumns', () => {
  it('matches aliases whatever their case, spacing and punctuation', () => {
    const r = mapColumns(['Full Name', 'E-mail Address', 'MOBILE_NUMBER', 'Date of Birth', 'Company Name', 'Post-code', 'Town', 'Province', 'X', 'LinkedIn'])
    expect(r.ok && r.map.targets).toEqual(['name', 'email', 'mobile', 'dateOfBirth', 'company', 'zip', 'city', 'state', 'twitter', 'linkedin'])
  })

  it('lists unknown columns and ignores them', () => {
    const r = mapColumns(['Phone', 'Notes', 'Lead score', ''])
    expect(r.ok && r.map.targets).toEqual(['mobile', null, null, null])
    expect(r.ok && r.map.ignored).toEqual(['Notes', 'Lead score'])
  })

  it('sends a second phone or email column to the other mobiles and emails, and ignores other repeats', () => {
    const r = mapColumns(['Mobile', 'Phone', 'Email', 'E-mail', 'City', 'Town'])
    expect(r.ok && r.map.targets).toEqual(['mobile', 'otherMobile', 'email', 'otherEmail', 'city', null])
    expect(r.ok && r.map.ignored).toEqual(['Town'])
  })

  it('refuses a header with no phone or email column, naming what it found', () => {
    const r = mapColumns(['Name', 'Company', 'Notes'])
    expect(r.ok).toBe(false)
    expect(!r.ok && r.message).toContain('"Name", "Company", "Notes"')
  })

  it('applies a mapping over the match, per header; an automatic column gives way to a chosen one', () => {
    const r = mapColumns(['Tel', 'Mobile', 'Notes', 'City'], { Tel: 'mobile', Notes: 'company', City: null })
    expect(r.ok && r.map.targets).toEqual(['mobile', 'otherMobile', 'company', null])
    expect(r.ok && r.map.ignored).toEqual(['City'])
  })

  it('refuses a mapping that names an unknown field, a header the file lacks, or two mobiles', () => {
    const bad = (m: Record<string, string | null>) => { const r = mapColumns(['A', 'B'], m); return !r.ok && r.problem === 'invalid_mapping' && r.message }
    expect(bad({ A: 'phone' })).toContain('"phone", which is not a field')
    expect(bad({ C: 'mobile' })).toContain('"C", which the file does not have')
    expect(bad({ A: 'mobile', B: 'mobile' })).toContain('"A" and "B" to mobile')
  })

  it('reduces headers to letters and digits, accents folded', () => {
    expect(headerKey(' Téléphone_Mobile ')).toBe('telephonemobile')
  })

  it('names columns as a spreadsheet does', () => {
    expect([0, 1, 25, 26, 27, 51, 52, 701, 702].map(columnLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA'])
  })
})
