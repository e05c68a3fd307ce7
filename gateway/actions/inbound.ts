import type { InboundEvent } from '../../domain/inbound/events.ts'
import { applyDeliveryStatus, recordEcho } from '../../storage/inbound/receipts.ts'
import type { Deps } from '../deps.ts'

export type InboundTally = { stored: number; duplicates: number; statuses: number; ignored: number }

/**
 * Stores every event of one delivery in order. Every event that names a person goes through the one batched writer
 * (storage/inbound/batch.ts decides how a sender is matched); echoes and receipts never create a contact. Any storage failure propagates so that the route answers 5xx and Meta redelivers; events
 * already stored are then recognised as duplicates.
 */
export async function processInboundEvents(deps: Deps, events: InboundEvent[]): Promise<InboundTally> {
  const tally: InboundTally = { stored: 0, duplicates: 0, statuses: 0, ignored: 0 }
  const count = (r: 'stored' | 'duplicate') => { if (r === 'stored') tally.stored++; else tally.duplicates++ }
  for (const e of events) {
    switch (e.kind) {
      case 'message':
      case 'number_changed':
      case 'marketing_preference':
        count(await deps.inbound.record(e))
        break
      case 'echo':
        count(await recordEcho(deps.sql, e, deps.newId))
        break
      case 'status':
        if (await applyDeliveryStatus(deps.sql, e)) tally.statuses++
        else deps.logger.debug({ channel: e.channel, messageId: e.messageId, status: e.status }, 'status for a message we did not send, or older than what we have')
        break
      case 'ignored':
        tally.ignored++
        deps.logger.warn({ channel: e.channel, reason: e.reason, detail: e.detail }, 'webhook content not stored')
        break
    }
  }
  return tally
}
