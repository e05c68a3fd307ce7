import type { CustomValues } from './custom-fields.ts'

export const CHANNELS = ['whatsapp', 'instagram', 'messenger', 'hubspot', 'zoho'] as const
export type Channel = (typeof CHANNELS)[number]

export const PREFERENCES = ['proactive', 'reactive'] as const
export type Preference = (typeof PREFERENCES)[number]

export const CONTACT_SOURCES = ['manual', 'import', 'incoming', 'crm'] as const
export type ContactSource = (typeof CONTACT_SOURCES)[number]

export const SOCIAL_NETWORKS = ['instagram', 'facebook', 'linkedin', 'twitter'] as const
export type SocialNetwork = (typeof SOCIAL_NETWORKS)[number]

export const ADDRESS_PARTS = ['street', 'city', 'state', 'zip', 'country'] as const
export type AddressPart = (typeof ADDRESS_PARTS)[number]

export type Address = Partial<Record<AddressPart, string>>
export type Social = Partial<Record<SocialNetwork, string>>

/** Whether `address.country` was typed by a person or derived from the mobile's calling code. */
export type CountrySource = 'entered' | 'detected'

export const CONTACT_ISSUE_CODES = ['missing_country_code'] as const
export type ContactIssueCode = (typeof CONTACT_ISSUE_CODES)[number]
export type ContactIssue = { code: ContactIssueCode; message: string }

export type Identity = { channel: Channel; externalId: string }

/** The editable, already-normalized fields of a contact. */
export type ContactFields = {
  name: string | null
  mobile: string | null
  email: string | null
  dateOfBirth: string | null
  company: string | null
  address: Address
  social: Social
  otherMobiles: string[]
  otherEmails: string[]
  countrySource: CountrySource | null
}

export type Contact = ContactFields & {
  id: string
  /** Label names, A–Z. */
  labels: string[]
  /** Custom field values by key. */
  fields: CustomValues
  ownerId: string | null
  preference: Preference
  identities: Identity[]
  source: ContactSource
  issues: ContactIssue[]
  active: boolean
  createdAt: string
  updatedAt: string
}

export const EMPTY_CONTACT_FIELDS: ContactFields = {
  name: null,
  mobile: null,
  email: null,
  dateOfBirth: null,
  company: null,
  address: {},
  social: {},
  otherMobiles: [],
  otherEmails: [],
  countrySource: null,
}

/** Longest accepted value per text field; shared by the API schemas, imports and CRM pushes. */
export const FIELD_LIMITS = {
  name: 200,
  email: 254,
  mobile: 40,
  company: 200,
  street: 500,
  city: 120,
  state: 120,
  zip: 20,
  country: 80,
  social: 300,
  otherValues: 10,
} as const
