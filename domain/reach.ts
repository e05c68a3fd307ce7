import type { Preference } from './contact.ts'
import { checkSend, HUMAN_AGENT_WINDOW_MS, SERVICE_WINDOW_MS, type ContactForSend, type DenyReason, type SendRequest } from './preference.ts'

/** How long ago a group of contacts last wrote on the channel, in the buckets the send rule tells apart. */
export type WindowBucket = 'service' | 'human_agent' | 'closed'

/** Contacts alike in everything the send rule reads, and how many they are. */
export type ReachGroup = {
  preference: Preference
  hasMobile: boolean
  missingCountryCode: boolean
  marketingOptOut: boolean
  hasIdentity: boolean
  window: WindowBucket
  count: number
}

export type Reach = { members: number; allowed: number; denied: Partial<Record<DenyReason, number>> }

/** Where each bucket starts, as ages: storage sorts contacts into buckets with these, the rule below reads them back. */
export const WINDOW_BOUNDS = { service: SERVICE_WINDOW_MS, humanAgent: HUMAN_AGENT_WINDOW_MS } as const

function lastInboundFor(bucket: WindowBucket, now: Date): Date | undefined {
  // Any time inside the bucket gives the same decision; the middle keeps clear of the edges.
  if (bucket === 'service') return new Date(now.getTime() - SERVICE_WINDOW_MS / 2)
  if (bucket === 'human_agent') return new Date(now.getTime() - (SERVICE_WINDOW_MS + HUMAN_AGENT_WINDOW_MS) / 2)
  return undefined
}

/**
 * The send rule (checkSend, the one every send obeys) applied to groups of alike contacts instead of one contact
 * at a time: who of a list may get this message now, and why not the others, counted by reason.
 */
export function reachOf(groups: readonly ReachGroup[], request: SendRequest, now: Date): Reach {
  const reach: Reach = { members: 0, allowed: 0, denied: {} }
  for (const g of groups) {
    const last = lastInboundFor(g.window, now)
    const contact: ContactForSend = {
      active: true, preference: g.preference, hasMobile: g.hasMobile, missingCountryCode: g.missingCountryCode,
      marketingOptOut: g.marketingOptOut, identityChannels: g.hasIdentity ? [request.channel] : [],
      lastInboundAt: last === undefined ? {} : { [request.channel]: last },
    }
    reach.members += g.count
    const decision = checkSend(contact, request, now)
    if (decision.allowed) reach.allowed += g.count
    else reach.denied[decision.reason] = (reach.denied[decision.reason] ?? 0) + g.count
  }
  return reach
}
