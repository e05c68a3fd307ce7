import { describe, expect, it } from 'vitest'
import { parseSearchQuery } from '../../domain/search.ts'

describe('parseSearchQuery', () => {
  it('reads the same phone number in three formats as the same trailing digits', () => {
    const forms = ['07400 123123', '+447400123123', '7400123123', '0044 7400 123 123', '+44 (0)7400-123-123']
    const parsed = forms.map((q) => parseSearchQuery(q, 'GB'))
    for (const p of parsed) expect(p).toMatchObject({ kind: 'phone' })
    const digits = parsed.map((p) => (p.kind === 'phone' ? p.digits : ''))
    for (const d of digits) expect(d.endsWith('7400123123')).toBe(true)
    expect(parsed[0]).toMatchObject({ e164: '+447400123123' })
  })

  it('drops the "(0)" trunk prefix even when the number does not parse', () => {
    expect(parseSearchQuery('+44 (0)7400 12')).toEqual({ kind: 'phone', e164: null, digits: '44740012' })
  })

  it('splits text into lower-case words', () => {
    expect(parseSearchQuery('  Jane   DOE ')).toEqual({ kind: 'text', terms: ['jane', 'doe'] })
  })

  it('treats short digit runs and mixed text as text', () => {
    expect(parseSearchQuery('123')).toEqual({ kind: 'text', terms: ['123'] })
    expect(parseSearchQuery('flat 12b')).toEqual({ kind: 'text', terms: ['flat', '12b'] })
  })

  it('reads a whole email address as an exact, case-insensitive lookup', () => {
    expect(parseSearchQuery(' Jane@Example.COM ')).toEqual({ kind: 'email', email: 'jane@example.com' })
    expect(parseSearchQuery('jane@example')).toEqual({ kind: 'text', terms: ['jane@example'] })
  })

  it('empty means everything', () => {
    expect(parseSearchQuery('')).toEqual({ kind: 'all' })
    expect(parseSearchQuery(undefined)).toEqual({ kind: 'all' })
  })
})
