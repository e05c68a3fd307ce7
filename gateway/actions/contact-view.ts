import type { Contact } from '../../domain/contact.ts'
import { canonicalId } from '../../domain/ids.ts'
import { parseSearchQuery } from '../../domain/search.ts'
import { SEND_CHANNELS, type SendChannel, type SendDecision } from '../../domain/preference.ts'
import { getActiveContact, mergedInto } from '../../storage/contacts.ts'
import { listContactMessages, type StoredMessage } from '../../storage/messages.ts'
import type { TimeCursor, TimePage } from '../../storage/pages.ts'
import type { Deps } from '../deps.ts'
import { listContacts } from './contact-list.ts'
import { checkOutbound } from './outbound.ts'

export type ChannelAnswer = { channel: SendChannel; text: SendDecision; template: SendDecision }
export type ContactView =
  | { found: true; contact: Contact; channels: ChannelAnswer[]; messages: StoredMessage[]; nextMessages: TimeCursor | null }
  | { found: false; mergedInto: string | null }

/** Everything a contact's page shows: the contact, "may we message them now?" per channel, a page of messages. */
export async function viewContact(deps: Deps, id: string, messagesAfter: TimeCursor | null, messageLimit = 20): Promise<ContactView> {
  const contact = await getActiveContact(deps.sql, id)
  if (contact === null) return { found: false, mergedInto: await mergedInto(deps.sql, id) }
  const [channels, messages] = await Promise.all([
    Promise.all(SEND_CHANNELS.map(async (channel): Promise<ChannelAnswer> => ({
      channel,
      text: await checkOutbound(deps, { contactId: id, channel, kind: 'text' }),
      template: await checkOutbound(deps, { contactId: id, channel, kind: 'template' }),
    }))),
    listContactMessages(deps.sql, id, messageLimit, messagesAfter),
  ])
  return { found: true, contact, channels, messages: messages.items, nextMessages: messages.next }
}

/** A page of an active contact's messages, newest first; null when there is no such contact. */
export async function contactMessages(deps: Deps, id: string, limit: number, after: TimeCursor | null): Promise<TimePage<StoredMessage> | null> {
  if ((await getActiveContact(deps.sql, id)) === null) return null
  return listContactMessages(deps.sql, id, limit, after)
}

/** One active contact, or null: for front doors that show a contact before or after changing it. */
export function activeContact(deps: Deps, id: string): Promise<Contact | null> {
  return getActiveContact(deps.sql, id)
}

export type ContactLookup =
  | { kind: 'found'; contact: Contact }
  | { kind: 'missing'; byId: boolean }
  | { kind: 'many'; contacts: Contact[] }
  | { kind: 'not_a_key' }

/** A contact by id, or by a phone number or email that matches exactly one contact (a chat's "/contact <key>"). */
export async function lookUpContact(deps: Deps, key: string): Promise<ContactLookup> {
  const id = canonicalId(key)
  if (id !== null) {
    const contact = await getActiveContact(deps.sql, id)
    return contact === null ? { kind: 'missing', byId: true } : { kind: 'found', contact }
  }
  const query = parseSearchQuery(key, deps.config.defaultCountry)
  if (query.kind !== 'phone' && query.kind !== 'email') return { kind: 'not_a_key' }
  const page = await listContacts(deps, { filters: { q: key }, sort: 'newest', limit: 2, cursor: null, direction: 'next' })
  const [first] = page.items
  if (first === undefined) return { kind: 'missing', byId: false }
  return page.items.length > 1 ? { kind: 'many', contacts: page.items } : { kind: 'found', contact: first }
}
