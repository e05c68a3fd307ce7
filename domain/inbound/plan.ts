import type { InboundChannel, InboundMessage, Sender } from './events.ts'
import { idKey } from '../person-keys.ts'
import { senderKeys } from './senders.ts'

export type Recorded = 'stored' | 'duplicate'
export type ConsentKind = 'stop_keyword' | 'marketing_stop' | 'marketing_resume'

/** One thing a person did on a channel, as the plan sees it: a message, or a marketing choice without one. */
export type InboundWrite = {
  channel: InboundChannel
  accountId: string
  sender: Sender
  message: InboundMessage | null
  stopKeyword: boolean
  /** A marketing stop or resume from the platform (no message); its id makes a redelivery a duplicate. */
  marketing: { kind: 'marketing_stop' | 'marketing_resume'; detail: string | null; externalId: string; at: Date } | null
}

export type FoundContact = { id: string; ownerId: string | null; name: string | null; mobile: string | null }

/** What storage read for one write, before any of the batch was written. */
export type SenderLookup = {
  /** The message, or the marketing event, is stored already. */
  seen: boolean
  contact: FoundContact | null
  /** The found contact's chat in this inbox. */
  chatId: string | null
  /** The inbox's active members and the active admins, for a chat that has to be opened. */
  members: string[]
  admins: string[]
}

export type PlannedContact = FoundContact & { isNew: boolean; country: string | null }
export type PlannedChat = {
  id: string; contact: PlannedContact; channel: InboundChannel; accountId: string; lastAt: Date
  /** Set for chats the batch opens; `assigneeId` is decided by `assignChats` once the inbox turns are known. */
  open: { members: string[]; admins: string[]; assigneeId: string | null } | null
}
export type PlannedMessage = { id: string; channel: InboundChannel; externalId: string; contactId: string; chatId: string; accountId: string; type: string; text: string | null; raw: unknown; sentAt: Date }
export type PlannedWindow = { contactId: string; channel: InboundChannel; at: Date; accountId: string }
export type PlannedConsent = { contactId: string; channel: InboundChannel; kind: ConsentKind; detail: string | null; externalId: string; at: Date }

export type InboundPlan = {
  results: Recorded[]
  contacts: PlannedContact[]
  chats: PlannedChat[]
  identities: { channel: InboundChannel; externalId: string; contactId: string }[]
  messages: PlannedMessage[]
  windows: PlannedWindow[]
  /** Found contacts without a name take the sender's; without a mobile, the sender's mobile. */
  names: Map<string, string>
  mobiles: Map<string, NonNullable<Sender['mobile']>>
  consents: PlannedConsent[]
}

/**
 * Decides what a batch of inbound writes changes, in the order given, from what storage read before writing any
 * of it: a person met earlier in the batch is the same contact (one contact and one chat however many messages a
 * new sender sent), a message or marketing event seen twice is stored once, the window keeps the latest time.
 * A contact is found by channel id first, then by any spelling of the mobile, so a contact entered by hand,
 * imported or pushed by a CRM is linked, not doubled.
 */
export function planInbound(writes: readonly InboundWrite[], lookups: readonly SenderLookup[], newId: () => string, now: Date): InboundPlan {
  const plan: InboundPlan = { results: [], contacts: [], chats: [], identities: [], messages: [], windows: [], names: new Map(), mobiles: new Map(), consents: [] }
  const contactsByKey = new Map<string, PlannedContact>()
  const contactsById = new Map<string, PlannedContact>()
  const chatsByKey = new Map<string, PlannedChat>()
  const windows = new Map<string, PlannedWindow>()
  const seen = new Set<string>()
  const seenIdentities = new Set<string>()

  writes.forEach((w, ord) => {
    const found = lookups[ord]
    if (found === undefined) throw new Error(`no lookup for inbound write ${ord}`)
    const eventKey = w.message !== null ? `message:${w.channel}:${w.message.externalId}` : `marketing:${w.channel}:${w.marketing?.externalId ?? ord}`
    if (found.seen || seen.has(eventKey)) {
      plan.results.push('duplicate')
      return
    }
    seen.add(eventKey)

    const keys = senderKeys(w.channel, w.sender)
    let contact = keys.map((k) => contactsByKey.get(k)).find((c) => c !== undefined)
    if (contact === undefined && found.contact !== null) contact = contactsById.get(found.contact.id) ?? { ...found.contact, isNew: false, country: null }
    // A marketing choice of someone we know changes only their consent.
    const known = contact !== undefined && w.message === null
    if (contact === undefined) {
      contact = { id: newId(), ownerId: null, name: w.sender.name, mobile: w.sender.mobile?.e164 ?? null, country: w.sender.mobile?.country ?? null, isNew: true }
      plan.contacts.push(contact)
    }
    contactsById.set(contact.id, contact)
    if (!known) {
      linkSender(plan, w, contact, contactsByKey, seenIdentities)
      const at = w.message?.sentAt ?? now
      const chat = chatOf(plan, chatsByKey, w, contact, found, at, newId)
      if (w.message !== null) {
        plan.messages.push({ id: newId(), channel: w.channel, externalId: w.message.externalId, contactId: contact.id, chatId: chat.id, accountId: w.accountId, type: w.message.type, text: w.message.text, raw: w.message.raw, sentAt: at })
        const windowKey = `${contact.id}|${w.channel}`
        const window = windows.get(windowKey)
        if (window === undefined || at >= window.at) windows.set(windowKey, { contactId: contact.id, channel: w.channel, at, accountId: w.accountId })
        if (w.stopKeyword) plan.consents.push({ contactId: contact.id, channel: w.channel, kind: 'stop_keyword', detail: w.message.text, externalId: w.message.externalId, at })
      }
    }
    if (w.marketing !== null) plan.consents.push({ contactId: contact.id, channel: w.channel, kind: w.marketing.kind, detail: w.marketing.detail, externalId: w.marketing.externalId, at: w.marketing.at })
    plan.results.push('stored')
  })
  plan.windows = [...windows.values()]
  return plan
}

/** Links the sender's ids to the contact, and fills a found contact's missing name and mobile from the sender. */
function linkSender(plan: InboundPlan, w: InboundWrite, contact: PlannedContact, contactsByKey: Map<string, PlannedContact>, seenIdentities: Set<string>): void {
  for (const key of senderKeys(w.channel, { ...w.sender, mobile: contact.isNew ? w.sender.mobile : null })) {
    if (!contactsByKey.has(key)) contactsByKey.set(key, contact)
  }
  for (const id of w.sender.externalIds) {
    const key = idKey(w.channel, id)
    if (seenIdentities.has(key)) continue
    seenIdentities.add(key)
    plan.identities.push({ channel: w.channel, externalId: id, contactId: contact.id })
  }
  if (contact.isNew) return
  if (contact.name === null && w.sender.name !== null) {
    contact.name = w.sender.name
    plan.names.set(contact.id, w.sender.name)
  }
  // A contact found without a mobile (by a business-scoped id, say) takes the sender's.
  if (contact.mobile === null && w.sender.mobile !== null) {
    contact.mobile = w.sender.mobile.e164
    plan.mobiles.set(contact.id, w.sender.mobile)
  }
}

function chatOf(plan: InboundPlan, chatsByKey: Map<string, PlannedChat>, w: InboundWrite, contact: PlannedContact, found: SenderLookup, at: Date, newId: () => string): PlannedChat {
  const key = `${contact.id}|${w.channel}|${w.accountId}`
  const chat = chatsByKey.get(key)
  if (chat !== undefined) {
    if (at > chat.lastAt) chat.lastAt = at
    return chat
  }
  const existing = found.contact?.id === contact.id ? found.chatId : null
  const opened: PlannedChat = {
    id: existing ?? newId(), contact, channel: w.channel, accountId: w.accountId, lastAt: at,
    open: existing === null ? { members: found.members, admins: found.admins, assigneeId: null } : null,
  }
  chatsByKey.set(key, opened)
  plan.chats.push(opened)
  return opened
}
