import type { Contact } from '../../domain/contact.ts'
import { SEND_CHANNELS, type SendChannel, type SendDecision } from '../../domain/preference.ts'
import { getActiveContact, mergedInto } from '../../storage/contacts.ts'
import { listContactMessages, type StoredMessage } from '../../storage/messages.ts'
import type { TimeCursor, TimePage } from '../../storage/pages.ts'
import type { Deps } from '../deps.ts'
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
