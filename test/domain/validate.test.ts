import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { normalizeSocial } from '../../domain/social.ts'
import { checkDateOfBirth, emailKey, validateContactInput } from '../../domain/validate.ts'

const ctx = { today: '2026-11-23' }

describe('validateContactInput', () => {
  it('normalizes every field that is present and leaves absent ones out', () => {
    const r = validateContactInput(
      {
        name: '  Jane Doe ', mobile: '+44 7400 123123', email: ' Jane@Example.COM ', dateOfBirth: '1990-04-01',
        address: { city: 'London', country: 'United Kingdom' }, social: { twitter: 'https://x.com/JaneDoe' },
        otherMobiles: ['+49 151 23456789', '+4915123456789'], otherEmails: ['a@b.co', 'A@B.CO'],
      },
      ctx,
    )
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'Jane Doe', mobile: '+447400123123', email: 'Jane@Example.COM', dateOfBirth: '1990-04-01',
        address: { city: 'London', country: 'GB' }, social: { twitter: 'janedoe' },
        otherMobiles: ['+4915123456789'], otherEmails: ['a@b.co'],
      },
    })
  })

  it('turns blank strings and null into clears', () => {
    expect(validateContactInput({ name: '  ', email: null, address: { city: '' } }, ctx)).toEqual({
      ok: true, value: { name: null, email: null, address: { city: null } },
    })
  })

  it('reports every bad field with its path and problem', () => {
    const r = validateContactInput(
      { mobile: '4.47E+11', email: 'not-an-email', dateOfBirth: '2031-01-01', address: { country: 'Narnia' }, social: { instagram: 'https://twitter.com/x' }, otherMobiles: ['+44 7400 123123', '12'], name: 'x'.repeat(201) },
      ctx,
    )
    expect(r.ok).toBe(false)
    if (r.ok) return
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([
      ['name', 'too_long'],
      ['mobile', 'excel_scientific_notation'],
      ['email', 'invalid_email'],
      ['dateOfBirth', 'date_in_future'],
      ['address.country', 'unknown_country'],
      ['social.instagram', 'invalid_social'],
      ['otherMobiles[1]', 'missing_country_code'],
    ])
    for (const e of r.errors) expect(e.message.length).toBeGreaterThan(5)
  })

  it('uses the default country for national numbers', () => {
    expect(validateContactInput({ mobile: '07400 123123' }, { ...ctx, defaultCountry: 'GB' })).toEqual({ ok: true, value: { mobile: '+447400123123' } })
  })
})

describe('email', () => {
  it.each(['jane@example.com', 'j.doe+tag@mail.example.co.uk', 'ñoño@correo.es'])('accepts %s', (email) => {
    expect(validateContactInput({ email }, ctx).ok).toBe(true)
  })
  it.each(['jane', 'jane@', '@example.com', 'jane@example', 'ja ne@example.com', 'jane@@example.com', 'jane@-x.com'])('rejects %s', (email) => {
    expect(validateContactInput({ email }, ctx)).toMatchObject({ ok: false, errors: [{ field: 'email', code: 'invalid_email' }] })
  })
  it('compares case-insensitively', () => {
    expect(emailKey(' Jane@Example.COM')).toBe(emailKey('jane@example.com'))
  })
})

describe('date of birth', () => {
  it.each([
    ['2000-02-29', true], ['1900-01-01', true], ['2026-11-23', true],
    ['1999-02-29', 'invalid_date'], ['2001-13-01', 'invalid_date'], ['01/02/2000', 'invalid_date'],
    ['1899-12-31', 'date_too_early'], ['2026-11-24', 'date_in_future'],
  ] as const)('%s → %s', (raw, expected) => {
    const r = checkDateOfBirth(raw, ctx.today)
    if (expected === true) expect(r).toEqual({ ok: true, date: raw })
    else expect(r).toMatchObject({ ok: false, code: expected })
  })

  it('accepts exactly the real calendar dates between 1900 and today', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1850, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const raw = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
        const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d
        const inRange = raw >= '1900-01-01' && raw <= ctx.today
        expect(checkDateOfBirth(raw, ctx.today).ok).toBe(real && inRange)
      }),
    )
  })
})

describe('social profiles are stored as lower-case handles', () => {
  it.each([
    ['instagram', '@Jane.Doe', 'jane.doe'],
    ['instagram', 'https://www.instagram.com/jane.doe/?hl=en', 'jane.doe'],
    ['instagram', 'instagram.com/jane.doe', 'jane.doe'],
    ['twitter', 'https://x.com/JaneDoe', 'janedoe'],
    ['twitter', 'twitter.com/janedoe', 'janedoe'],
    ['facebook', 'https://www.facebook.com/jane.doe.77', 'jane.doe.77'],
    ['facebook', 'https://facebook.com/profile.php?id=100012345678', '100012345678'],
    ['linkedin', 'https://www.linkedin.com/in/jane-doe-12ab/', 'jane-doe-12ab'],
    ['linkedin', 'linkedin.com/company/acme', 'company/acme'],
    ['linkedin', 'jane-doe', 'jane-doe'],
  ] as const)('%s %s → %s', (network, raw, handle) => {
    expect(normalizeSocial(network, raw)).toEqual({ ok: true, handle })
  })

  it.each([
    ['instagram', 'https://twitter.com/jane'],
    ['twitter', 'this handle is far too long'],
    ['linkedin', 'https://www.linkedin.com/feed/'],
  ] as const)('rejects %s %s', (network, raw) => {
    expect(normalizeSocial(network, raw).ok).toBe(false)
  })
})
