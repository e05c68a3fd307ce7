/**
 * The domain's words a front door speaks when it reads a person's input or words an answer: ids, preferences,
 * channels, CRM names, who may change a contact, and the shapes of a contact and a user. The bot reaches the domain
 * and storage only through actions (test/architecture.test.ts), so what it names comes from here.
 */
export { canonicalId } from '../../domain/ids.ts'
export { PREFERENCES, type Contact, type ContactFields, type Preference } from '../../domain/contact.ts'
export { SEND_CHANNELS, type DenyReason } from '../../domain/preference.ts'
export { CRM_NAMES } from '../../domain/crm.ts'
export { mayChangeContact } from '../../domain/access.ts'
export type { User } from '../../storage/users.ts'
export type { ImportRecord } from '../../storage/imports/history.ts'
