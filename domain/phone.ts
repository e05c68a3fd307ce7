import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max'
import metadata from 'libphonenumber-js/metadata.max.json'

const CALLING_CODES = metadata.country_calling_codes as Record<string, string[]>

export type PhoneProblem =
  | 'empty'
  | 'excel_scientific_notation'
  | 'missing_country_code'
  | 'not_a_phone_number'
  | 'invalid_number'

export type PhoneResult =
  | { ok: true; e164: string; country: string | null }
  | { ok: false; problem: PhoneProblem; message: string }

export type PhoneOptions = {
  /** Region for numbers written without a country code; only for manual entry and file imports. */
  defaultCountry?: string | undefined
}

// Excel turns long digit strings into floats such as 4.47E+11; the trailing digits are gone for good.
const EXCEL_SCIENTIFIC = /^[+-]?\d+(?:[.,]\d+)?e\+?\d+$/i
// The "(0)" that Europeans put between the country code and the number is a trunk prefix that must go.
const TRUNK_ZERO_IN_PARENS = /\(\s*0\s*\)/g
const ALLOWED_CHARS = /^[\d\s+\-.()/]+$/

function fail(problem: PhoneProblem, message: string): PhoneResult {
  return { ok: false, problem, message }
}

/** Normalizes a mobile number as a person typed it to E.164, and reports the country its code belongs to. */
export function normalizeMobile(raw: string, options: PhoneOptions = {}): PhoneResult {
  const text = raw.trim()
  if (text === '') return fail('empty', 'is empty')
  if (EXCEL_SCIENTIFIC.test(text.replace(/\s/g, ''))) {
    return fail(
      'excel_scientific_notation',
      `"${text}" is in scientific notation: a spreadsheet stored the number as a float and lost its last digits; format the column as text and export again`,
    )
  }
  if (!ALLOWED_CHARS.test(text)) {
    return fail('not_a_phone_number', `"${text}" contains characters that do not belong in a phone number`)
  }
  let cleaned = text.replace(TRUNK_ZERO_IN_PARENS, ' ').trim()
  if (cleaned.startsWith('00')) cleaned = `+${cleaned.slice(2)}`
  const international = cleaned.startsWith('+')
  const defaultCountry = options.defaultCountry as CountryCode | undefined
  if (!international && defaultCountry === undefined) {
    return fail(
      'missing_country_code',
      `"${text}" has no country code; write it as +<country code><number>, or set DEFAULT_COUNTRY`,
    )
  }
  const parsed = international
    ? parsePhoneNumberFromString(cleaned)
    : parsePhoneNumberFromString(cleaned, defaultCountry)
  if (parsed === undefined) {
    return fail('not_a_phone_number', `"${text}" is not a phone number`)
  }
  if (!parsed.isValid()) {
    const where = parsed.country ?? `+${parsed.countryCallingCode}`
    return fail('invalid_number', `"${text}" is not a valid phone number for ${where}`)
  }
  const country = parsed.country ?? null
  rememberCountry(parsed.number, country)
  return { ok: true, e164: parsed.number, country }
}

// Normalizing a number and then detecting its country would parse it twice (half the time of a file import,
// measured); the country found while normalizing is kept for the lookup that follows. Bounded, and a cache of a
// pure function, so results never depend on what came before.
const RECENT_COUNTRIES_MAX = 4096
const recentCountries = new Map<string, string | null>()

function rememberCountry(e164: string, country: string | null): void {
  if (recentCountries.size >= RECENT_COUNTRIES_MAX) recentCountries.clear()
  recentCountries.set(e164, country)
}

/** The main country of the calling code that starts these digits (GB for 44…, US for 1…), or null. */
export function countryOfCallingCode(digits: string): string | null {
  for (const length of [1, 2, 3]) {
    const countries = CALLING_CODES[digits.slice(0, length)]
    if (countries !== undefined) return countries[0] ?? null
  }
  return null
}

/**
 * The country an E.164 number belongs to. Numbers that metadata does not know as valid (WhatsApp ids can be)
 * fall back to the main country of their calling code; non-geographic codes give null.
 */
export function countryOfE164(e164: string): string | null {
  const known = recentCountries.get(e164)
  if (known !== undefined) return known
  const parsed = parsePhoneNumberFromString(e164)
  if (parsed?.isValid() === true) return parsed.country ?? null
  return countryOfCallingCode(e164.replace(/^\+/, ''))
}

/** A stored E.164 number as people read it ("+44 7400 123123"); the number itself when it cannot be parsed. */
export function formatMobileForReading(e164: string): string {
  return parsePhoneNumberFromString(e164)?.formatInternational() ?? e164
}
