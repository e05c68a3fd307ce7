import type { ContactFields, Identity } from './contact.ts'
import { emailKey } from './validate.ts'

/** The values that make two contacts the same person: normalized mobiles, lower-cased emails, channel ids. */
export type DedupKeys = { mobiles: string[]; emails: string[]; identities: string[] }

export function identityKey(identity: Identity): string {
  return `${identity.channel}:${identity.externalId}`
}

export function dedupKeys(fields: Pick<ContactFields, 'mobile' | 'email' | 'otherMobiles' | 'otherEmails'>, identities: Identity[] = []): DedupKeys {
  const mobiles = [fields.mobile, ...fields.otherMobiles].filter((m): m is string => m !== null)
  const emails = [fields.email, ...fields.otherEmails].filter((e): e is string => e !== null).map(emailKey)
  return { mobiles: [...new Set(mobiles)], emails: [...new Set(emails)], identities: identities.map(identityKey) }
}

export type DuplicateMatch = { field: 'mobile' | 'email' | 'identity'; value: string }

/** The first key two contacts share, or null when they have none in common. */
export function sharedKey(a: DedupKeys, b: DedupKeys): DuplicateMatch | null {
  const mobile = a.mobiles.find((m) => b.mobiles.includes(m))
  if (mobile !== undefined) return { field: 'mobile', value: mobile }
  const email = a.emails.find((e) => b.emails.includes(e))
  if (email !== undefined) return { field: 'email', value: email }
  const identity = a.identities.find((i) => b.identities.includes(i))
  if (identity !== undefined) return { field: 'identity', value: identity }
  return null
}
