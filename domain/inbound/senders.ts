import type { InboundEvent, Sender } from './events.ts'
import { idKey, mobileKey, type PersonKey } from '../person-keys.ts'

/** The inbound events that name a person and so find or make their contact; the rest never create one. */
export type SenderEvent = Extract<InboundEvent, { kind: 'message' | 'number_changed' | 'marketing_preference' }>
export type MessageEvent = Extract<InboundEvent, { kind: 'message' }>

export function spellings(sender: Sender): string[] {
  return sender.mobile === null ? [] : [sender.mobile.e164, ...sender.mobile.variants]
}

/** Every key that names this sender: their ids on the channel and each spelling of their mobile. */
export function senderKeys(channel: string, sender: Sender): PersonKey[] {
  return [...sender.externalIds.map((id) => idKey(channel, id)), ...spellings(sender).map(mobileKey)]
}

/**
 * The keys to lock before an event is written: a number change holds both the old and the new number, so that
 * neither can be written to while the contact moves from one to the other.
 */
export function eventKeys(e: SenderEvent): PersonKey[] {
  return e.kind === 'number_changed' ? [...senderKeys(e.channel, e.from), ...senderKeys(e.channel, e.to)] : senderKeys(e.channel, e.sender)
}
