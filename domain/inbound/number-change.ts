import type { InboundEvent, Sender } from './events.ts'

type NumberChanged = Extract<InboundEvent, { kind: 'number_changed' }>

/** How a contact moves to a changed number: its old ids go, the new ones come to it, and it takes the new mobile. */
export type NumberMove = { contactId: string; dropIds: string[]; moveIds: string[]; mobile: Sender['mobile'] }

/**
 * WhatsApp's user_changed_number: the same person, so the same contact, moves to the new number and id. Nothing
 * moves when the old number was never a contact (the notice is then an ordinary first message from the new one).
 */
export function planNumberChange(e: NumberChanged, seen: boolean, contactId: string | null): NumberMove | 'duplicate' | null {
  if (seen) return 'duplicate'
  if (contactId === null) return null
  return { contactId, dropIds: e.from.externalIds.filter((id) => !e.to.externalIds.includes(id)), moveIds: e.to.externalIds, mobile: e.to.mobile }
}
