import type { InboundEvent } from './events.ts'
import { idKey, type PersonKey } from '../person-keys.ts'
import { eventKeys } from './senders.ts'

/** A delivery as the drainer holds it: its place in line and the people its events name. */
export type Queued = { id: bigint; keys: readonly string[] }

/** Every person a delivery's events name; receipts name none. */
export function deliveryKeys(events: readonly InboundEvent[]): PersonKey[] {
  const keys = new Set<PersonKey>()
  for (const e of events) {
    if (e.kind === 'message' || e.kind === 'number_changed' || e.kind === 'marketing_preference') for (const k of eventKeys(e)) keys.add(k)
    else if (e.kind === 'echo') keys.add(idKey(e.channel, e.recipientId))
  }
  return [...keys]
}

/** A person held by a failed delivery: the first such delivery's place in line, and when it is tried again. */
export type Hold = { id: bigint; until: Date }

/**
 * Until when a delivery must wait, or null when it may be applied now: a failed delivery that came before it and
 * names one of the same people is waiting for its retry, and applying this one first would put that person's
 * events out of the order they arrived in.
 */
export function waitUntil(d: Queued, held: ReadonlyMap<string, Hold>): Date | null {
  let until: Date | null = null
  for (const k of d.keys) {
    const hold = held.get(k)
    if (hold !== undefined && hold.id < d.id && (until === null || hold.until > until)) until = hold.until
  }
  return until
}

/** A delivery that waits holds its people too, so that theirs after it keep their place behind it. */
export function hold(held: Map<string, Hold>, d: Queued, until: Date): void {
  for (const k of d.keys) {
    const current = held.get(k)
    if (current === undefined || current.id > d.id) held.set(k, { id: d.id, until })
  }
}

export const MAX_ATTEMPTS = 5
// After the 1st, 2nd, 3rd, 4th failure; the 5th makes the delivery dead. About two and a half minutes in all:
// long enough to ride out a deadlock, a restart or a short outage, short enough that one bad delivery does not
// hold its sender's later messages back for long.
const RETRY_DELAYS_S = [1, 5, 30, 120] as const

/** What becomes of a delivery that failed for the `attempts`-th time. */
export function afterFailure(attempts: number, now: Date): { retryAt: Date; deadAt: null } | { retryAt: null; deadAt: Date } {
  const delay = RETRY_DELAYS_S[attempts - 1]
  if (attempts >= MAX_ATTEMPTS || delay === undefined) return { retryAt: null, deadAt: now }
  return { retryAt: new Date(now.getTime() + delay * 1000), deadAt: null }
}
