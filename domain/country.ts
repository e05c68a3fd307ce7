import { getCountries } from 'libphonenumber-js/max'

// Names people write that no locale's display name covers.
const ALIASES: Record<string, string> = {
  uk: 'GB', greatbritain: 'GB', britain: 'GB', england: 'GB', scotland: 'GB', wales: 'GB', northernireland: 'GB',
  unitedkingdomofgreatbritainandnorthernireland: 'GB',
  usa: 'US', us: 'US', america: 'US', unitedstatesofamerica: 'US',
  uae: 'AE', emirates: 'AE', holland: 'NL', thenetherlands: 'NL',
  russianfederation: 'RU', southkorea: 'KR', republicofkorea: 'KR', korea: 'KR', northkorea: 'KP',
  czechrepublic: 'CZ', ivorycoast: 'CI', turkey: 'TR', turkiye: 'TR', swaziland: 'SZ', burma: 'MM',
  macedonia: 'MK', vatican: 'VA', drc: 'CD', drcongo: 'CD', capeverde: 'CV', persia: 'IR',
  ksa: 'SA', prc: 'CN', mainlandchina: 'CN', hongkongsar: 'HK', macausar: 'MO', deutschland: 'DE',
}

// English first so that its names win when two languages spell different countries alike.
const NAME_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl', 'pl', 'tr', 'ru', 'ar', 'zh', 'ja', 'ko', 'hi', 'id', 'sv', 'da', 'nb', 'fi', 'el', 'cs', 'ro', 'hu', 'uk', 'he', 'th', 'vi']

/** Folds case, accents and punctuation so "España", "espana" and "E.S.P.A.N.A" meet. */
export function countryKey(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '')
}

function buildIndex(): { codes: Set<string>; byName: Map<string, string> } {
  const codes = new Set<string>(getCountries())
  const byName = new Map<string, string>()
  const add = (name: string | undefined, code: string) => {
    if (name === undefined) return
    const key = countryKey(name)
    if (key !== '' && !byName.has(key)) byName.set(key, code)
  }
  for (const [alias, code] of Object.entries(ALIASES)) add(alias, code)
  const displayNames = NAME_LANGUAGES.map((lang) => new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' }))
  const [english] = displayNames
  for (const code of codes) add(english?.of(code), code)
  for (const code of codes) {
    // The country's own name, e.g. "Deutschland" and "Sverige".
    const ownLanguage = new Intl.Locale(`und-${code}`).maximize().language
    add(new Intl.DisplayNames([ownLanguage], { type: 'region', fallback: 'none' }).of(code), code)
  }
  for (const names of displayNames.slice(1)) for (const code of codes) add(names.of(code), code)
  return { codes, byName }
}

const INDEX = buildIndex()

export type CountryResult = { ok: true; code: string } | { ok: false; message: string }

/** Accepts an ISO 3166-1 alpha-2 code or a country's name in English, in its own language or a common alias. */
export function parseCountry(raw: string): CountryResult {
  const text = raw.trim()
  if (/^[a-z]{2}$/i.test(text)) {
    const code = text.toUpperCase()
    if (INDEX.codes.has(code)) return { ok: true, code }
  }
  const code = INDEX.byName.get(countryKey(text))
  if (code !== undefined) return { ok: true, code }
  return { ok: false, message: `"${text}" is not a known country; use an ISO 3166-1 alpha-2 code such as GB or a country name` }
}

export function isCountryCode(code: string): boolean {
  return INDEX.codes.has(code)
}

/** Every country with its English name, by name: the choices of a country field. */
export function countryChoices(): { code: string; name: string }[] {
  return [...INDEX.codes].map((code) => ({ code, name: countryName(code) })).sort((a, b) => a.name.localeCompare(b.name, 'en'))
}

// Made once: a DisplayNames made for each name cost the Contacts page, which names forty countries, 0.5 ms of its
// 5.5 ms (CPU profile of the unfiltered page).
let english: Intl.DisplayNames | undefined

/** A code's English name for reading ("DE" → "Germany"); the code itself when it has none. */
export function countryName(code: string): string {
  english ??= new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' })
  return english.of(code) ?? code
}
