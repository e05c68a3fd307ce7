import { ADDRESS_PARTS, SOCIAL_NETWORKS, type Address, type ContactFields, type Social } from './contact.ts'
import { countryOfE164 } from './phone.ts'
import type { ContactPatch } from './validate.ts'

function mergeRecord<K extends string>(base: Partial<Record<K, string>>, patch: Partial<Record<K, string | null>> | null | undefined, keys: readonly K[]): Partial<Record<K, string>> {
  if (patch === null) return {}
  if (patch === undefined) return base
  const out: Partial<Record<K, string>> = { ...base }
  for (const key of keys) {
    if (!(key in patch)) continue
    const value = patch[key]
    if (value === null || value === undefined) delete out[key]
    else out[key] = value
  }
  return out
}

/**
 * Applies a normalized patch. The country follows the mobile unless a person entered it: an entered country
 * stays through mobile changes, a detected one is derived again from the new mobile, and clearing an entered
 * country hands it back to detection.
 */
export function applyContactPatch(base: ContactFields, patch: ContactPatch): ContactFields {
  const address: Address = mergeRecord(base.address, patch.address, ADDRESS_PARTS)
  const social: Social = mergeRecord(base.social, patch.social, SOCIAL_NETWORKS)
  const next: ContactFields = {
    name: patch.name !== undefined ? patch.name : base.name,
    mobile: patch.mobile !== undefined ? patch.mobile : base.mobile,
    email: patch.email !== undefined ? patch.email : base.email,
    dateOfBirth: patch.dateOfBirth !== undefined ? patch.dateOfBirth : base.dateOfBirth,
    company: patch.company !== undefined ? patch.company : base.company,
    address,
    social,
    otherMobiles: patch.otherMobiles ?? base.otherMobiles,
    otherEmails: patch.otherEmails ?? base.otherEmails,
    countrySource: base.countrySource,
  }
  const countryTouched = patch.address === null || (patch.address !== undefined && 'country' in patch.address)
  if (countryTouched) next.countrySource = address.country !== undefined ? 'entered' : null
  if (next.countrySource !== 'entered') {
    const detected = next.mobile !== null ? countryOfE164(next.mobile) : null
    if (detected !== null) {
      next.address = { ...address, country: detected }
      next.countrySource = 'detected'
    } else {
      const { country: _dropped, ...rest } = address
      next.address = rest
      next.countrySource = null
    }
  }
  return next
}

/**
 * What an import with `onDuplicate=update` does to the contact it matched: every empty field takes the
 * incoming value; nothing already there is overwritten. An incoming country counts only if a person entered it.
 */
export function fillEmptyFields(base: ContactFields, incoming: ContactFields): ContactFields {
  const patch: ContactPatch = {}
  for (const key of ['name', 'mobile', 'email', 'dateOfBirth', 'company'] as const) {
    if (base[key] === null && incoming[key] !== null) patch[key] = incoming[key]
  }
  const address: Partial<Record<(typeof ADDRESS_PARTS)[number], string>> = {}
  for (const part of ADDRESS_PARTS) {
    const value = incoming.address[part]
    if (value === undefined || base.address[part] !== undefined) continue
    if (part === 'country' && incoming.countrySource !== 'entered') continue
    address[part] = value
  }
  if (Object.keys(address).length > 0) patch.address = address
  const social: Social = {}
  for (const network of SOCIAL_NETWORKS) {
    const value = incoming.social[network]
    if (value !== undefined && base.social[network] === undefined) social[network] = value
  }
  if (Object.keys(social).length > 0) patch.social = social
  return applyContactPatch(base, patch)
}
