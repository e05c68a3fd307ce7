import type { Preference } from './contact.ts'

export const SEND_CHANNELS = ['whatsapp', 'instagram', 'messenger'] as const
export type SendChannel = (typeof SEND_CHANNELS)[number]
export type MessageKind = 'text' | 'template'
export type TemplateCategory = 'marketing' | 'utility' | 'authentication'

/** What the decision needs to know about a contact; storage reads exactly this. */
export type ContactForSend = {
  active: boolean
  preference: Preference
  /** An E.164 mobile that WhatsApp can be sent to. */
  hasMobile: boolean
  missingCountryCode: boolean
  marketingOptOut: boolean
  /** Channels on which the contact has an identity (wa_id, PSID, IGSID). */
  identityChannels: SendChannel[]
  /** When the contact last wrote to us, per channel; our own sends never count. */
  lastInboundAt: Partial<Record<SendChannel, Date>>
}

export type SendRequest = {
  channel: SendChannel
  kind: MessageKind
  templateCategory?: TemplateCategory | undefined
  /** Messenger/Instagram's HUMAN_AGENT tag: a person replying within 7 days of the contact's last message. */
  humanAgent?: boolean | undefined
}

export type AllowReason = 'inside_window' | 'proactive_template' | 'human_agent_tag'
export type DenyReason =
  | 'contact_inactive'
  | 'no_channel_identity'
  | 'missing_country_code'
  | 'marketing_opted_out'
  | 'reactive_outside_window'
  | 'template_required'
  | 'outside_window'

export type SendDecision =
  | { allowed: true; reason: AllowReason; message: string }
  | { allowed: false; reason: DenyReason; message: string }

const HOUR = 3_600_000
/** The customer-service window: 24 hours since the contact's last message on that channel. */
export const SERVICE_WINDOW_MS = 24 * HOUR
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * HOUR

const allow = (reason: AllowReason, message: string): SendDecision => ({ allowed: true, reason, message })
const deny = (reason: DenyReason, message: string): SendDecision => ({ allowed: false, reason, message })

const CHANNEL_NAMES: Record<SendChannel, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram', messenger: 'Messenger' }

/**
 * May we send this message to this contact now? One function for the API, the bot and every sender, so that no
 * unsolicited message ever leaves for a reactive contact.
 */
export function checkSend(contact: ContactForSend, request: SendRequest, now: Date): SendDecision {
  const name = CHANNEL_NAMES[request.channel]
  if (!contact.active) return deny('contact_inactive', 'The contact was deleted or merged into another one.')
  const hasIdentity = contact.identityChannels.includes(request.channel)
  if (request.channel === 'whatsapp' && !hasIdentity) {
    if (contact.missingCountryCode) return deny('missing_country_code', 'The contact’s mobile has no valid country code, so WhatsApp cannot reach it; fix the number first.')
    if (!contact.hasMobile) return deny('no_channel_identity', 'The contact has neither a WhatsApp id nor a mobile number.')
  } else if (request.channel !== 'whatsapp' && !hasIdentity) {
    return deny('no_channel_identity', `The contact has never written to us on ${name}, so there is no one to send to.`)
  }
  if (request.kind === 'template' && request.templateCategory === 'marketing' && contact.marketingOptOut) {
    return deny('marketing_opted_out', 'The contact asked not to receive marketing messages.')
  }
  const last = contact.lastInboundAt[request.channel]
  const sinceLast = last === undefined ? Number.POSITIVE_INFINITY : now.getTime() - last.getTime()
  if (sinceLast < SERVICE_WINDOW_MS) return allow('inside_window', `The contact wrote on ${name} within the last 24 hours; any message may be sent.`)
  if (contact.preference === 'reactive') {
    return deny('reactive_outside_window', 'The contact is reactive: they can only be answered within 24 hours of writing to us.')
  }
  if (request.channel === 'whatsapp') {
    return request.kind === 'template'
      ? allow('proactive_template', 'Outside the 24-hour window a proactive contact may receive an approved template.')
      : deny('template_required', 'Outside the 24-hour window WhatsApp only delivers approved templates.')
  }
  if (request.humanAgent === true && sinceLast < HUMAN_AGENT_WINDOW_MS) {
    return allow('human_agent_tag', `A person may reply on ${name} with the HUMAN_AGENT tag within 7 days of the contact’s last message.`)
  }
  return deny('outside_window', `${name} allows messages only within 24 hours of the contact’s last message (7 days for a person replying with the HUMAN_AGENT tag).`)
}
