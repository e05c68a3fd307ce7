import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { countryOfE164, normalizeMobile } from '../../domain/phone.ts'

describe('normalizeMobile', () => {
  it.each([
    ['+44 7400 123123', '+447400123123', 'GB'],
    ['+44 (0)7400 123123', '+447400123123', 'GB'],
    ['0044 7400-123.123', '+447400123123', 'GB'],
    ['+49 (0)151 2345 6789', '+4915123456789', 'DE'],
    ['+1 (202) 555-0123', '+12025550123', 'US'],
    ['+34 612 34 56 78', '+34612345678', 'ES'],
    ['+55 11 98765-4321', '+5511987654321', 'BR'],
    ['+91 98765 43210', '+919876543210', 'IN'],
  ])('%s → %s (%s)', (raw, e164, country) => {
    expect(normalizeMobile(raw)).toEqual({ ok: true, e164, country })
  })

  it('reads national numbers with the default country', () => {
    expect(normalizeMobile('07400 123123', { defaultCountry: 'GB' })).toEqual({ ok: true, e164: '+447400123123', country: 'GB' })
    expect(normalizeMobile('0151 23456789', { defaultCountry: 'DE' })).toEqual({ ok: true, e164: '+4915123456789', country: 'DE' })
  })

  it('rejects national numbers without a default country, saying why', () => {
    const r = normalizeMobile('07400 123123')
    expect(r).toMatchObject({ ok: false, problem: 'missing_country_code' })
    if (!r.ok) expect(r.message).toContain('no country code')
  })

  it.each(['4.47E+11', '4,47E+11', '4.47e11', '447400123123E+0'])('rejects spreadsheet scientific notation %s', (raw) => {
    const r = normalizeMobile(raw, { defaultCountry: 'GB' })
    expect(r).toMatchObject({ ok: false, problem: 'excel_scientific_notation' })
    if (!r.ok) expect(r.message).toContain('scientific notation')
  })

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['call me', 'not_a_phone_number'],
    ['+44 7400 12', 'invalid_number'],
    ['+44 1', 'not_a_phone_number'],
  ])('rejects %j as %s', (raw, problem) => {
    expect(normalizeMobile(raw, { defaultCountry: 'GB' })).toMatchObject({ ok: false, problem })
  })

  it('the same number in any punctuation normalizes to the same E.164', () => {
    const digits = ['44', '7400', '123', '123']
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(' ', '-', '.', ''), { minLength: 3, maxLength: 3 }),
        fc.constantFrom('+', '00'),
        fc.boolean(),
        (seps, prefix, trunk) => {
          const raw = `${prefix}${digits[0]}${trunk ? ' (0)' : ''}${seps[0]}${digits[1]}${seps[1]}${digits[2]}${seps[2]}${digits[3]}`
          expect(normalizeMobile(raw)).toEqual({ ok: true, e164: '+447400123123', country: 'GB' })
        },
      ),
    )
  })

  it('is idempotent: an E.164 result normalizes to itself', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\+?[0-9 ()\-.]{4,20}$/), fc.constantFrom('GB', 'US', 'DE', 'IN', undefined), (raw, defaultCountry) => {
        const first = normalizeMobile(raw, { defaultCountry })
        if (first.ok) expect(normalizeMobile(first.e164)).toEqual(first)
      }),
    )
  })

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 60 }), (raw) => {
      expect(() => normalizeMobile(raw, { defaultCountry: 'GB' })).not.toThrow()
    }))
  })
})

describe('countryOfE164', () => {
  it('tells countries sharing a calling code apart', () => {
    expect(countryOfE164('+12025550123')).toBe('US')
    expect(countryOfE164('+14165550123')).toBe('CA')
    expect(countryOfE164('+447400123123')).toBe('GB')
    expect(countryOfE164('+79123456789')).toBe('RU')
  })
})
