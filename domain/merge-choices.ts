import type { Contact, ContactFields } from './contact.ts'

/** The fields a person may choose per contact when merging (the contract's `fields`). */
export const MERGE_FIELDS = ['name', 'email', 'mobile', 'dateOfBirth', 'company', 'address', 'social', 'ownerId'] as const
export type MergeField = (typeof MERGE_FIELDS)[number]
/** Per field, the id of the contact whose value the merged contact keeps. */
export type MergeChoices = Partial<Record<MergeField, string>>
export type FieldAgreement = 'agree' | 'one_empty' | 'conflict'

type Value = string | null

function valueOf(c: Contact, field: MergeField): Value {
  switch (field) {
    case 'address':
    case 'social': {
      const parts = Object.entries(c[field]).filter(([, v]) => v !== undefined && v !== '').sort(([a], [b]) => a.localeCompare(b))
      return parts.length === 0 ? null : JSON.stringify(parts)
    }
    case 'email':
      return c.email?.toLowerCase() ?? null
    default:
      return c[field]
  }
}

/**
 * Per field, whether the contacts agree, only one of them has a value, or they conflict: what a person must
 * decide is the conflicts; the rest settles itself.
 */
export function compareForMerge(contacts: readonly Contact[]): Record<MergeField, FieldAgreement> {
  const out = {} as Record<MergeField, FieldAgreement>
  for (const field of MERGE_FIELDS) {
    const values = new Set(contacts.map((c) => valueOf(c, field)).filter((v): v is string => v !== null))
    const empty = contacts.some((c) => valueOf(c, field) === null)
    out[field] = values.size > 1 ? 'conflict' : empty && values.size === 1 ? 'one_empty' : 'agree'
  }
  return out
}

export type ChoiceProblem = { field: string; message: string }

/** A choice must name one of the contacts being merged. */
export function checkMergeChoices(ids: readonly string[], choices: MergeChoices): ChoiceProblem | null {
  for (const [field, id] of Object.entries(choices)) {
    if (id !== undefined && !ids.includes(id)) return { field: `fields.${field}`, message: `${id} is not one of the contacts being merged` }
  }
  return null
}

/** The chosen contacts' values laid over the default merge; the owner is returned apart, as it is not a field. */
export function applyMergeChoices(fields: ContactFields, ownerId: string | null, contacts: readonly Contact[], choices: MergeChoices): { fields: ContactFields; ownerId: string | null } {
  const chosen = (field: MergeField) => contacts.find((c) => c.id === choices[field])
  let out = { ...fields }
  const name = chosen('name'); if (name) out.name = name.name
  const mobile = chosen('mobile'); if (mobile) out.mobile = mobile.mobile
  const email = chosen('email'); if (email) out.email = email.email
  const dob = chosen('dateOfBirth'); if (dob) out.dateOfBirth = dob.dateOfBirth
  const company = chosen('company'); if (company) out.company = company.company
  const address = chosen('address'); if (address) out = { ...out, address: address.address, countrySource: address.countrySource }
  const social = chosen('social'); if (social) out.social = social.social
  const owner = chosen('ownerId')
  return { fields: out, ownerId: owner ? owner.ownerId : ownerId }
}
