import {
  ADDRESS_PARTS,
  FIELD_LIMITS,
  SOCIAL_NETWORKS,
  type AddressPart,
  type ContactFields,
  type SocialNetwork,
} from './contact.ts'
import { parseCountry } from './country.ts'
import { normalizeMobile, type PhoneProblem } from './phone.ts'
import { normalizeSocial } from './social.ts'

/** What a person, a file row or a CRM sends: any field may be missing (unchanged) or null/"" (cleared). */
export type ContactInput = {
  name?: string | null | undefined
  mobile?: string | null | undefined
  email?: string | null | undefined
  dateOfBirth?: string | null | undefined
  company?: string | null | undefined
  address?: Partial<Record<AddressPart, string | null | undefined>> | null | undefined
  social?: Partial<Record<SocialNetwork, string | null | undefined>> | null | undefined
  otherMobiles?: string[] | null | undefined
  otherEmails?: string[] | null | undefined
}

/** The same input after normalization: a key that is present sets (or, with null, clears) that field. */
export type ContactPatch = {
  name?: string | null
  mobile?: string | null
  email?: string | null
  dateOfBirth?: string | null
  company?: string | null
  address?: Partial<Record<AddressPart, string | null>> | null
  social?: Partial<Record<SocialNetwork, string | null>> | null
  otherMobiles?: string[]
  otherEmails?: string[]
}

export type FieldErrorCode =
  | PhoneProblem
  | 'too_long'
  | 'too_many'
  | 'invalid_email'
  | 'invalid_date'
  | 'date_in_future'
  | 'date_too_early'
  | 'unknown_country'
  | 'invalid_social'
  | 'no_contact_point'
  | 'unknown_user'
  | 'invalid_value'
  | 'unknown_field'
  | 'invalid_label'

export type FieldError = { field: string; code: FieldErrorCode; message: string }

export type ValidationContext = {
  defaultCountry?: string | undefined
  /** Today as YYYY-MM-DD in UTC; passed in so that validation stays deterministic. */
  today: string
}

export type Validated<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] }

// Pragmatic rather than RFC 5322: one @, no spaces, a dot in the domain, labels that DNS would accept.
const EMAIL = /^[^\s@"(),:;<>[\\\]]+@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+[\p{L}]{2,}$/u
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

function blankToNull(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null
  const trimmed = value.trim()
  return trimmed === '' ? null : trimmed
}

export function normalizeEmail(raw: string): { ok: true; email: string } | { ok: false; message: string } {
  const email = raw.trim()
  if (!EMAIL.test(email)) return { ok: false, message: `"${email}" is not a valid email address` }
  return { ok: true, email }
}

/** Emails are unique regardless of case; this is the form compared and indexed. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase()
}

export function checkDateOfBirth(raw: string, today: string): { ok: true; date: string } | { ok: false; code: FieldErrorCode; message: string } {
  const m = ISO_DATE.exec(raw.trim())
  if (m === null) return { ok: false, code: 'invalid_date', message: `"${raw}" is not a date in the form YYYY-MM-DD` }
  const [, y, mo, d] = m
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)))
  const iso = date.toISOString().slice(0, 10)
  if (iso !== m[0]) return { ok: false, code: 'invalid_date', message: `"${raw}" is not a real calendar date` }
  if (iso < '1900-01-01') return { ok: false, code: 'date_too_early', message: `"${raw}" is before 1900` }
  if (iso > today) return { ok: false, code: 'date_in_future', message: `"${raw}" is in the future` }
  return { ok: true, date: iso }
}

function checkLength(field: string, value: string, limit: number, errors: FieldError[]): boolean {
  if (value.length <= limit) return true
  errors.push({ field, code: 'too_long', message: `is ${value.length} characters long; at most ${limit} are allowed` })
  return false
}

function normalizeText(field: 'name' | 'company', input: ContactInput, patch: ContactPatch, errors: FieldError[]): void {
  if (!(field in input)) return
  const value = blankToNull(input[field])
  if (value === null || checkLength(field, value, FIELD_LIMITS[field], errors)) patch[field] = value
}

function normalizeMobileList(field: string, values: string[], ctx: ValidationContext, errors: FieldError[]): string[] {
  const out: string[] = []
  if (values.length > FIELD_LIMITS.otherValues) {
    errors.push({ field, code: 'too_many', message: `has ${values.length} entries; at most ${FIELD_LIMITS.otherValues} are allowed` })
    return out
  }
  values.forEach((raw, i) => {
    const r = normalizeMobile(raw, { defaultCountry: ctx.defaultCountry })
    if (r.ok) { if (!out.includes(r.e164)) out.push(r.e164) } else errors.push({ field: `${field}[${i}]`, code: r.problem, message: r.message })
  })
  return out
}

function normalizeEmailList(field: string, values: string[], errors: FieldError[]): string[] {
  const out: string[] = []
  if (values.length > FIELD_LIMITS.otherValues) {
    errors.push({ field, code: 'too_many', message: `has ${values.length} entries; at most ${FIELD_LIMITS.otherValues} are allowed` })
    return out
  }
  values.forEach((raw, i) => {
    const r = normalizeEmail(raw)
    if (!r.ok) errors.push({ field: `${field}[${i}]`, code: 'invalid_email', message: r.message })
    else if (!out.some((e) => emailKey(e) === emailKey(r.email))) out.push(r.email)
  })
  return out
}

/** Checks and normalizes every field that is present, collecting one error per bad field. */
export function validateContactInput(input: ContactInput, ctx: ValidationContext): Validated<ContactPatch> {
  const errors: FieldError[] = []
  const patch: ContactPatch = {}
  normalizeText('name', input, patch, errors)
  normalizeText('company', input, patch, errors)

  if ('mobile' in input) {
    const raw = blankToNull(input.mobile)
    if (raw === null) patch.mobile = null
    else if (checkLength('mobile', raw, FIELD_LIMITS.mobile, errors)) {
      const r = normalizeMobile(raw, { defaultCountry: ctx.defaultCountry })
      if (r.ok) patch.mobile = r.e164
      else errors.push({ field: 'mobile', code: r.problem, message: r.message })
    }
  }
  if ('email' in input) {
    const raw = blankToNull(input.email)
    if (raw === null) patch.email = null
    else if (checkLength('email', raw, FIELD_LIMITS.email, errors)) {
      const r = normalizeEmail(raw)
      if (r.ok) patch.email = r.email
      else errors.push({ field: 'email', code: 'invalid_email', message: r.message })
    }
  }
  if ('dateOfBirth' in input) {
    const raw = blankToNull(input.dateOfBirth)
    if (raw === null) patch.dateOfBirth = null
    else {
      const r = checkDateOfBirth(raw, ctx.today)
      if (r.ok) patch.dateOfBirth = r.date
      else errors.push({ field: 'dateOfBirth', code: r.code, message: r.message })
    }
  }
  if ('address' in input) {
    if (input.address === null || input.address === undefined) patch.address = null
    else {
      const address: Partial<Record<AddressPart, string | null>> = {}
      for (const part of ADDRESS_PARTS) {
        if (!(part in input.address)) continue
        const raw = blankToNull(input.address[part])
        if (raw === null) { address[part] = null; continue }
        if (!checkLength(`address.${part}`, raw, FIELD_LIMITS[part], errors)) continue
        if (part === 'country') {
          const r = parseCountry(raw)
          if (r.ok) address.country = r.code
          else errors.push({ field: 'address.country', code: 'unknown_country', message: r.message })
        } else address[part] = raw
      }
      patch.address = address
    }
  }
  if ('social' in input) {
    if (input.social === null || input.social === undefined) patch.social = null
    else {
      const social: Partial<Record<SocialNetwork, string | null>> = {}
      for (const network of SOCIAL_NETWORKS) {
        if (!(network in input.social)) continue
        const raw = blankToNull(input.social[network])
        if (raw === null) { social[network] = null; continue }
        if (!checkLength(`social.${network}`, raw, FIELD_LIMITS.social, errors)) continue
        const r = normalizeSocial(network, raw)
        if (r.ok) social[network] = r.handle
        else errors.push({ field: `social.${network}`, code: 'invalid_social', message: r.message })
      }
      patch.social = social
    }
  }
  if ('otherMobiles' in input) patch.otherMobiles = normalizeMobileList('otherMobiles', input.otherMobiles ?? [], ctx, errors)
  if ('otherEmails' in input) patch.otherEmails = normalizeEmailList('otherEmails', input.otherEmails ?? [], errors)

  return errors.length === 0 ? { ok: true, value: patch } : { ok: false, errors }
}

/** A contact must be reachable somehow: by mobile, email or a channel identity. */
export function checkReachable(fields: ContactFields, identityCount: number): FieldError | null {
  if (fields.mobile !== null || fields.email !== null || identityCount > 0) return null
  return { field: 'mobile', code: 'no_contact_point', message: 'a contact needs at least a mobile, an email or a channel identity' }
}
