import type { ContactIssue } from './contact.ts'
import { normalizeMobile } from './phone.ts'
import { validateContactInput, type ContactInput, type ContactPatch } from './validate.ts'

export const CRM_SYSTEMS = ['hubspot', 'zoho'] as const
export type CrmSystem = (typeof CRM_SYSTEMS)[number]

export const CRM_NAMES: Record<CrmSystem, string> = { hubspot: 'HubSpot', zoho: 'Zoho' }

/** The contact fields a CRM record can carry, each read from one of the CRM's own properties. */
export type CrmField =
  | 'firstName' | 'lastName' | 'email' | 'otherEmails' | 'mobile' | 'phone' | 'company'
  | 'street' | 'city' | 'state' | 'zip' | 'country' | 'dateOfBirth'

/** A record as the CRM holds it: its id, and its values by our field (the property names are the CRM's). */
export type CrmRecord = {
  id: string
  values: Partial<Record<CrmField, string | null>>
  /** The email of the record's owner in the CRM (HubSpot's contact owner, Zoho's Owner), when it has one. */
  ownerEmail?: string | null
}

export type CrmContact =
  | { ok: true; externalId: string; patch: ContactPatch; issues: ContactIssue[]; phoneGiven: boolean }
  | { ok: false; externalId: string; reason: string }

function present(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && value.trim() !== ''
}

/**
 * Reads a CRM record into the fields it sets. Only what the CRM has is set: an empty property changes nothing.
 * Phones are read without DEFAULT_COUNTRY (it is for files and manual entry only): a phone written without a country
 * code is not stored but flagged as the contact's `missing_country_code` issue, so the rest of the record still
 * lands and someone can fix the number in the CRM. Any other bad value fails the record with the property named.
 */
export function readCrmRecord(system: CrmSystem, record: CrmRecord, properties: Record<CrmField, string>, today: string): CrmContact {
  const v = record.values
  const input: ContactInput = {}
  const issues: ContactIssue[] = []
  const name = [v.firstName, v.lastName].filter(present).map((s) => s.trim()).join(' ')
  if (name !== '') input.name = name
  const phones = (['mobile', 'phone'] as const).filter((f) => present(v[f]))
  const usable: string[] = []
  for (const field of phones) {
    const raw = (v[field] as string).trim()
    const r = normalizeMobile(raw)
    if (!r.ok && r.problem === 'missing_country_code') {
      issues.push({ code: 'missing_country_code', message: `${CRM_NAMES[system]} ${properties[field]} "${raw}" has no country code; write it with one (+<country code><number>) in ${CRM_NAMES[system]} so that WhatsApp can reach this contact` })
    } else usable.push(raw)
  }
  if (usable[0] !== undefined) input.mobile = usable[0]
  if (usable.length > 1) input.otherMobiles = usable.slice(1)
  if (present(v.email)) input.email = v.email
  const otherEmails = (v.otherEmails ?? '').split(/[;,]/).map((e) => e.trim()).filter((e) => e !== '')
  if (otherEmails.length > 0) input.otherEmails = otherEmails
  if (present(v.company)) input.company = v.company
  if (present(v.dateOfBirth)) input.dateOfBirth = v.dateOfBirth.trim().slice(0, 10)
  const address: NonNullable<ContactInput['address']> = {}
  for (const part of ['street', 'city', 'state', 'zip', 'country'] as const) if (present(v[part])) address[part] = v[part]
  if (Object.keys(address).length > 0) input.address = address

  const validated = validateContactInput(input, { today })
  if (!validated.ok) {
    const where = (field: string): string => {
      const base = field.replace(/\[\d+\]$/, '').replace(/^address\./, '') as CrmField | 'name' | 'otherMobiles'
      if (base === 'name') return `${properties.firstName}/${properties.lastName}`
      if (base === 'otherMobiles') return properties.phone
      return properties[base as CrmField] ?? field
    }
    return { ok: false, externalId: record.id, reason: validated.errors.map((e) => `${CRM_NAMES[system]} ${where(e.field)}: ${e.message}`).join('; ') }
  }
  return { ok: true, externalId: record.id, patch: validated.value, issues, phoneGiven: phones.length > 0 }
}
