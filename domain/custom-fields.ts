import { checkDateOfBirth } from './validate.ts'

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'boolean', 'choice'] as const
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number]
export type CustomFieldDefinition = { key: string; label: string; type: CustomFieldType; choices?: string[] }
export type CustomValue = string | number | boolean
export type CustomValues = Record<string, CustomValue>

export const CUSTOM_FIELD_KEY = /^[a-z][a-z0-9_]{0,39}$/
export const CUSTOM_TEXT_MAX = 1000
export const CUSTOM_LABEL_MAX = 80
export const CUSTOM_CHOICES_MAX = 100

export type CustomFieldError = { field: string; code: 'invalid_value' | 'unknown_field' | 'too_long'; message: string }
type Checked = { ok: true; value: CustomValue } | { ok: false; message: string; code?: CustomFieldError['code'] }

const YES = new Set(['true', 'yes', 'y', '1', 'on', 'ja', 'sí', 'si', 'oui'])
const NO = new Set(['false', 'no', 'n', '0', 'off', 'nein', 'non'])

/**
 * One value for one field, from JSON (typed) or from text (files, forms). A date is any real calendar date
 * in the form YYYY-MM-DD (unlike a birthday, it may lie in the future).
 */
export function checkCustomValue(def: CustomFieldDefinition, raw: unknown): Checked {
  const text = typeof raw === 'string' ? raw.trim() : null
  switch (def.type) {
    case 'text':
      if (text === null) return { ok: false, message: 'must be text' }
      return text.length > CUSTOM_TEXT_MAX ? { ok: false, code: 'too_long', message: `is ${text.length} characters long; at most ${CUSTOM_TEXT_MAX} are allowed` } : { ok: true, value: text }
    case 'number': {
      const n = typeof raw === 'number' ? raw : text !== null && /^[+-]?(\d+([.,]\d+)?|[.,]\d+)$/.test(text) ? Number(text.replace(',', '.')) : Number.NaN
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: `${JSON.stringify(raw)} is not a number` }
    }
    case 'date': {
      const checked = text === null ? null : checkDateOfBirth(text, '9999-12-31')
      return checked?.ok === true ? { ok: true, value: checked.date } : { ok: false, message: `${JSON.stringify(raw)} is not a date in the form YYYY-MM-DD` }
    }
    case 'boolean':
      if (typeof raw === 'boolean') return { ok: true, value: raw }
      if (text !== null && YES.has(text.toLowerCase())) return { ok: true, value: true }
      if (text !== null && NO.has(text.toLowerCase())) return { ok: true, value: false }
      return { ok: false, message: `${JSON.stringify(raw)} is not yes or no` }
    case 'choice': {
      const choices = def.choices ?? []
      const hit = text === null ? undefined : choices.find((c) => c.toLowerCase() === text.toLowerCase())
      return hit !== undefined ? { ok: true, value: hit } : { ok: false, message: `${JSON.stringify(raw)} is not one of ${choices.map((c) => `"${c}"`).join(', ')}` }
    }
  }
}

/** A value as a person reads and types it (forms, files, the export). */
export function customValueText(value: CustomValue | undefined): string {
  if (value === undefined) return ''
  if (typeof value === 'boolean') return value ? 'yes' : 'no'
  return String(value)
}

export type CustomPatch = Record<string, CustomValue | null>

/**
 * Checks a patch of custom values against the definitions: `null` or "" clears a value; each bad value is an
 * error naming `fields.<key>`, as the built-in fields name theirs.
 */
export function checkCustomPatch(defs: readonly CustomFieldDefinition[], input: Record<string, unknown>): { ok: true; patch: CustomPatch } | { ok: false; errors: CustomFieldError[] } {
  const byKey = new Map(defs.map((d) => [d.key, d]))
  const patch: CustomPatch = {}
  const errors: CustomFieldError[] = []
  for (const [key, raw] of Object.entries(input)) {
    const def = byKey.get(key)
    const field = `fields.${key}`
    if (def === undefined) { errors.push({ field, code: 'unknown_field', message: `is not a custom field; the fields are ${defs.map((d) => d.key).join(', ') || 'none yet'}` }); continue }
    if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) { patch[key] = null; continue }
    const checked = checkCustomValue(def, raw)
    if (checked.ok) patch[key] = checked.value
    else errors.push({ field, code: checked.code ?? 'invalid_value', message: checked.message })
  }
  return errors.length === 0 ? { ok: true, patch } : { ok: false, errors }
}

export function applyCustomPatch(base: CustomValues, patch: CustomPatch): CustomValues {
  const out: CustomValues = { ...base }
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key]
    else out[key] = value
  }
  return out
}

/** The incoming values for the keys the base has no value for (an import's update mode, a merge). */
export function fillEmptyCustomValues(base: CustomValues, incoming: CustomValues): CustomValues {
  return { ...incoming, ...base }
}

export type DefinitionCheck = { ok: true; def: CustomFieldDefinition } | { ok: false; field: string; message: string }

/** A new field's definition as an admin gives it. */
export function checkDefinition(input: { key: string; label: string; type: CustomFieldType; choices?: string[] | undefined }): DefinitionCheck {
  if (!CUSTOM_FIELD_KEY.test(input.key)) return { ok: false, field: 'key', message: 'must start with a lower-case letter and hold only a-z, 0-9 and _ (at most 40)' }
  const label = input.label.trim()
  if (label === '' || label.length > CUSTOM_LABEL_MAX) return { ok: false, field: 'label', message: `must be 1 to ${CUSTOM_LABEL_MAX} characters` }
  if (input.type !== 'choice') return { ok: true, def: { key: input.key, label, type: input.type } }
  const choices = checkChoices(input.choices ?? [])
  return choices.ok ? { ok: true, def: { key: input.key, label, type: 'choice', choices: choices.choices } } : { ok: false, field: 'choices', message: choices.message }
}

export function checkChoices(raw: readonly string[]): { ok: true; choices: string[] } | { ok: false; message: string } {
  const choices = [...new Set(raw.map((c) => c.trim()).filter((c) => c !== ''))]
  if (choices.length === 0) return { ok: false, message: 'a choice field needs at least one choice' }
  if (choices.length > CUSTOM_CHOICES_MAX) return { ok: false, message: `at most ${CUSTOM_CHOICES_MAX} choices are allowed` }
  const long = choices.find((c) => c.length > CUSTOM_LABEL_MAX)
  return long === undefined ? { ok: true, choices } : { ok: false, message: `"${long.slice(0, 20)}…" is longer than ${CUSTOM_LABEL_MAX} characters` }
}

/** A key for a field named after a file's column: "Yearly Spend (€)" → "yearly_spend". */
export function keyFromHeader(header: string): string {
  const words = header.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  const key = /^[a-z]/.test(words) ? words : `field_${words}`
  return key.slice(0, 40).replace(/_+$/, '') || 'field'
}
