import type { InboundEvent } from './events.ts'
import { normalizeMessagingPlatform } from './messaging.ts'

export function normalizeMessenger(payload: unknown, receivedAt: Date): InboundEvent[] {
  return normalizeMessagingPlatform('messenger', payload, receivedAt)
}
