import type { InboundChannel, InboundEvent } from '../../domain/inbound/events.ts'
import { afterFailure, deliveryKeys, hold, waitUntil } from '../../domain/inbound/inbox.ts'
import { normalizeInstagram } from '../../domain/inbound/instagram.ts'
import { normalizeMessenger } from '../../domain/inbound/messenger.ts'
import { MAX_WEBHOOK_DEPTH, parseWebhookJson } from '../../domain/inbound/read.ts'
import type { SenderEvent } from '../../domain/inbound/senders.ts'
import { normalizeWhatsApp } from '../../domain/inbound/whatsapp.ts'
import { claimDeliveries, deferDeliveries, deleteDeliveries, heldKeys, takeDrainTurn, type Deferral, type Delivery } from '../../storage/inbox.ts'
import { recordInboundInTransaction } from '../../storage/inbound/batch.ts'
import { applyDeliveryStatus, recordEcho } from '../../storage/inbound/receipts.ts'
import type { Tx } from '../../storage/sql.ts'
import type { Deps } from '../deps.ts'
import { isConnectionFailure } from '../infra/db-circuit.ts'

const NORMALIZERS: Record<InboundChannel, (payload: unknown, receivedAt: Date) => InboundEvent[]> = {
  whatsapp: normalizeWhatsApp,
  instagram: normalizeInstagram,
  messenger: normalizeMessenger,
}

/** Stores a signed delivery in the inbox; resolves once it is committed, when Meta may be told it was received. */
export async function acceptDelivery(deps: Deps, channel: InboundChannel, body: string): Promise<void> {
  await deps.inbox.store({ channel, body, receivedAt: deps.now() })
  deps.inbox.wake()
}

type Read = { delivery: Delivery; id: bigint; events: InboundEvent[]; keys: string[] }

function read(deps: Deps, d: Delivery): Read {
  const onCut = (values: number) => deps.logger.warn({ delivery: d.id, values, maxDepth: MAX_WEBHOOK_DEPTH }, 'webhook content not stored: nested too deep')
  const events = NORMALIZERS[d.channel as InboundChannel](parseWebhookJson(d.body, onCut), d.receivedAt)
  return { delivery: d, id: BigInt(d.id), events, keys: deliveryKeys(events) }
}

export const DRAIN_BATCH = 1000
const READ_BETWEEN_TURNS = 100

/**
 * One turn of draining the inbox: the oldest deliveries due, applied in arrival order and deleted in the same
 * transaction, so that each is applied exactly once. Returns how many were taken off the line, or null when another
 * drainer has the turn. A batch that fails is redone delivery by delivery. One that fails alone is put back with a
 * backoff (after its last attempt it is dead), and the later deliveries that name the same people wait behind it.
 */
export async function drainInbox(deps: Deps, limit = DRAIN_BATCH): Promise<number | null> {
  return deps.sql.begin(async (tx) => {
    if (!(await takeDrainTurn(tx))) return null
    const now = deps.now()
    const claimed = await claimDeliveries(tx, limit, now)
    if (claimed.length === 0) return 0
    const held = await heldKeys(tx, now)
    const deferred: Deferral[] = []
    const fail = (d: Delivery, keys: string[], error: unknown) => {
      if (isConnectionFailure(error)) throw error
      const attempts = d.attempts + 1
      const reason = error instanceof Error ? error.message || error.name : String(error)
      const next = afterFailure(attempts, now)
      deferred.push({ id: d.id, attempts, reason, senderKeys: keys, ...next })
      if (next.retryAt !== null) hold(held, { id: BigInt(d.id), keys }, next.retryAt)
      deps.logger.warn({ delivery: d.id, channel: d.channel, attempts, reason }, 'inbox delivery failed')
    }
    /** Whether it may go now; if not, it is put back to wait behind the delivery that holds its people. */
    const mayGo = (r: Read) => {
      const until = waitUntil(r, held)
      if (until === null) return true
      deferred.push({ id: r.delivery.id, attempts: r.delivery.attempts, reason: null, senderKeys: r.keys, retryAt: until, deadAt: null })
      hold(held, r, until)
      return false
    }
    const ready: Read[] = []
    for (const [n, d] of claimed.entries()) {
      try {
        ready.push(read(deps, d))
      } catch (error) {
        fail(d, [], error)
      }
      // Requests wait while deliveries are read; a turn of the event loop now and then keeps their answers quick.
      if (n % READ_BETWEEN_TURNS === READ_BETWEEN_TURNS - 1) await new Promise((resolve) => setImmediate(resolve))
    }
    const due = ready.filter(mayGo)
    try {
      await tx.savepoint((sp) => applyEvents(deps, sp, due.flatMap((r) => r.events)))
      await deleteDeliveries(tx, due.map((r) => r.delivery.id))
    } catch (error) {
      if (isConnectionFailure(error)) throw error
      if (due.length === 1) fail(due[0]!.delivery, due[0]!.keys, error)
      else {
        deps.logger.warn({ err: error, deliveries: due.length }, 'inbox batch failed; applying its deliveries one by one')
        const done: string[] = []
        for (const r of due) {
          if (!mayGo(r)) continue
          try {
            await tx.savepoint((sp) => applyEvents(deps, sp, r.events))
            done.push(r.delivery.id)
          } catch (e) {
            fail(r.delivery, r.keys, e)
          }
        }
        await deleteDeliveries(tx, done)
      }
    }
    await deferDeliveries(tx, deferred)
    return claimed.length
  })
}

/** Drains while there is something due and no other drainer has the turn (a Worker after it answered a delivery). */
export async function drainWhileDue(deps: Deps): Promise<void> {
  for (;;) {
    const taken = await drainInbox(deps)
    if (taken === null || taken === 0) return
  }
}

/** The events of deliveries in arrival order: those that name a person in one batched write, then receipts. */
async function applyEvents(deps: Deps, tx: Tx, events: readonly InboundEvent[]): Promise<void> {
  const senderEvents = events.filter((e): e is SenderEvent => e.kind === 'message' || e.kind === 'number_changed' || e.kind === 'marketing_preference')
  if (senderEvents.length > 0) {
    await recordInboundInTransaction(tx, senderEvents, { newId: deps.newId, now: deps.now(), defaultPreference: deps.config.inboundDefaultPreference })
  }
  for (const e of events) {
    if (e.kind === 'echo') await recordEcho(tx, e, deps.newId)
    else if (e.kind === 'status') await applyDeliveryStatus(tx, e)
    else if (e.kind === 'ignored') deps.logger.warn({ channel: e.channel, reason: e.reason, detail: e.detail }, 'webhook content not stored')
  }
}
