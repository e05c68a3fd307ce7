import type { InboundEvent } from './events.ts'
import { normalizeMessagingPlatform } from './messaging.ts'

export function normalizeInstagram(payload: unknown, receivedAt: Date): InboundEvent[] {
  return normalizeMessagingPlatform('instagram', payload, receivedAt)
}
