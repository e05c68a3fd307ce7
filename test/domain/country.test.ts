import { describe, expect, it } from 'vitest'
import { parseCountry } from '../../domain/country.ts'

describe('parseCountry', () => {
  it.each([
    ['GB', 'GB'], ['gb', 'GB'], [' de ', 'DE'],
    ['United Kingdom', 'GB'], ['UK', 'GB'], ['U.K.', 'GB'], ['Great Britain', 'GB'], ['England', 'GB'],
    ['Germany', 'DE'], ['Deutschland', 'DE'], ['deutschland', 'DE'], ['Allemagne', 'DE'],
    ['Spain', 'ES'], ['España', 'ES'], ['espana', 'ES'],
    ['United States', 'US'], ['USA', 'US'], ['U.S.A.', 'US'], ['America', 'US'],
    ['Brasil', 'BR'], ['México', 'MX'], ['Italia', 'IT'], ['Sverige', 'SE'], ['Nederland', 'NL'], ['Holland', 'NL'],
    ['Schweiz', 'CH'], ['Suisse', 'CH'], ['Svizzera', 'CH'], ['Österreich', 'AT'], ['Polska', 'PL'], ['Türkiye', 'TR'],
    ['日本', 'JP'], ['Россия', 'RU'], ['UAE', 'AE'], ['Czech Republic', 'CZ'], ['Ivory Coast', 'CI'],
  ])('%s → %s', (raw, code) => {
    expect(parseCountry(raw)).toEqual({ ok: true, code })
  })

  it.each(['ZZ', 'Atlantis', '', 'G'])('rejects %j with a reason', (raw) => {
    const r = parseCountry(raw)
    expect(r.ok).toBe(false)
    if (!r.ok) expect(r.message).toMatch(/not a known country/)
  })
})
