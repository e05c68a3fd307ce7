import { normalizeMobile } from './phone.ts'
import { emailKey, normalizeEmail } from './validate.ts'

export type SearchQuery =
  | { kind: 'all' }
  /** `digits` are the query's digits without international or trunk prefixes; they match the end of a mobile. */
  | { kind: 'phone'; e164: string | null; digits: string }
  /** A whole address: matched exactly (case-insensitively) rather than as a fragment. */
  | { kind: 'email'; email: string }
  | { kind: 'text'; terms: string[] }

const PHONE_LIKE = /^[\d\s+\-.()/]+$/
const MIN_PHONE_DIGITS = 4
const MAX_TERMS = 5

/**
 * Decides how to read a search box. Digits-only text (with the usual phone punctuation) is a phone number in
 * any format: "+447400123123", "07400 123123" and "7400123123" all end in the same national digits, so the
 * search matches on the end of the stored number. Everything else matches name, email and company fragments,
 * every word somewhere.
 */
export function parseSearchQuery(raw: string | undefined, defaultCountry?: string): SearchQuery {
  const text = (raw ?? '').trim()
  if (text === '') return { kind: 'all' }
  const digitCount = text.replace(/\D/g, '').length
  if (PHONE_LIKE.test(text) && digitCount >= MIN_PHONE_DIGITS) {
    const parsed = normalizeMobile(text, { defaultCountry })
    if (parsed.ok) return { kind: 'phone', e164: parsed.e164, digits: parsed.e164.slice(1) }
    const digits = text.replace(/\(\s*0\s*\)/g, '').replace(/\D/g, '').replace(/^0+/, '')
    return { kind: 'phone', e164: null, digits }
  }
  if (!/\s/.test(text) && normalizeEmail(text).ok) return { kind: 'email', email: emailKey(text) }
  const terms = text.toLowerCase().split(/\s+/).filter((t) => t !== '').slice(0, MAX_TERMS)
  return { kind: 'text', terms }
}
