/**
 * The keys that name one person to every writer (inbound messages, CRM records, imports, merges): a channel or CRM
 * id, a mobile, an email. Storage turns them into advisory locks (storage/key-locks.ts); writers that meet the same
 * person must spell the same key, so it is spelled here and nowhere else. Emails compare without case.
 */
export type PersonKey = `${string}:${string}`

export function idKey(system: string, externalId: string): PersonKey {
  return `${system}:${externalId}`
}

export function mobileKey(e164: string): PersonKey {
  return `mobile:${e164}`
}

export function emailKey(address: string): PersonKey {
  return `email:${address.toLowerCase()}`
}

/** Every key of a person's mobiles and emails; empty values are skipped. */
export function contactKeys(mobiles: readonly (string | null)[], emails: readonly (string | null)[]): PersonKey[] {
  return [
    ...mobiles.filter((m): m is string => m !== null && m !== '').map(mobileKey),
    ...emails.filter((e): e is string => e !== null && e !== '').map(emailKey),
  ]
}
