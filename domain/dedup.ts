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
