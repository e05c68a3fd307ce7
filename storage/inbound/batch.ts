import { planInbound, type InboundWrite, type Recorded } from '../../domain/inbound/plan.ts'
import { eventKeys, type SenderEvent } from '../../domain/inbound/senders.ts'
import { planNumberChange } from '../../domain/inbound/number-change.ts'
import { lockOrder } from '../key-locks.ts'
import type { Tx } from '../sql.ts'
import { lookUpSenders } from './lookup.ts'
import { routeNewChats, setMobile, writeInboundPlan, type InboundContext } from './write-plan.ts'

export type { InboundContext } from './write-plan.ts'
export type { MessageEvent, SenderEvent } from '../../domain/inbound/senders.ts'
export type { Recorded } from '../../domain/inbound/plan.ts'

/**
 * The one way inbound events that name a person are stored: messages, marketing choices and number changes, any
 * number of them from concurrent deliveries, in one transaction and a handful of round trips whatever the batch's
 * size. The first round trip takes the locks of every sender (sorted, as every writer takes them) and looks
 * them up; `planInbound` (domain) decides; one statement writes. A number change moves its contact to the new
 * number first, so the events around it are planned in runs on either side of it. Returns, per event, whether it
 * was stored or a duplicate.
 */
export function recordInboundInTransaction(tx: Tx, events: readonly SenderEvent[], ctx: InboundContext): Promise<Recorded[]> {
  // A clash on a contact's mobile (see retryOnContactClash) is redone from a savepoint, inside the caller's
  // transaction: the inbox drainer's, which deletes the deliveries in it.
  return retryOnContactClash(() => tx.savepoint((sp) => recordInboundEvents(sp, events, ctx)))
}

async function recordInboundEvents(tx: Tx, events: readonly SenderEvent[], ctx: InboundContext): Promise<Recorded[]> {
  let locks = lockOrder(events.flatMap(eventKeys))
  const results: Recorded[] = []
  let run: InboundWrite[] = []
  const flush = async () => {
    if (run.length > 0) results.push(...await writeRun(tx, run, locks, ctx))
    run = []
    locks = []
  }
  for (const e of events) {
    if (e.kind !== 'number_changed') {
      run.push(toWrite(e))
      continue
    }
    await flush()
    const to: InboundWrite = { channel: e.channel, accountId: e.accountId, sender: e.to, message: e.message, stopKeyword: false, marketing: null }
    const [from] = await lookUpSenders(tx, [{ ...to, sender: e.from }], locks)
    locks = []
    const move = planNumberChange(e, from?.seen === true, from?.contact?.id ?? null)
    if (move === 'duplicate') {
      results.push('duplicate')
      continue
    }
    if (move !== null) {
      await tx`delete from identities where channel = ${e.channel} and contact_id = ${move.contactId} and external_id = any(${move.dropIds}::text[])`
      await tx`update identities set contact_id = ${move.contactId} where channel = ${e.channel} and external_id = any(${move.moveIds}::text[])`
      if (move.mobile !== null) await setMobile(tx, move.contactId, move.mobile, ctx.now)
    }
    run.push(to)
    await flush()
  }
  await flush()
  return results
}

async function writeRun(tx: Tx, writes: InboundWrite[], locks: readonly string[], ctx: InboundContext): Promise<Recorded[]> {
  const lookups = await lookUpSenders(tx, writes, locks)
  const plan = planInbound(writes, lookups, ctx.newId, ctx.now)
  await routeNewChats(tx, plan)
  await writeInboundPlan(tx, plan, ctx)
  return plan.results
}

function toWrite(e: Exclude<SenderEvent, { kind: 'number_changed' }>): InboundWrite {
  if (e.kind === 'message') return { channel: e.channel, accountId: e.accountId, sender: e.sender, message: e.message, stopKeyword: e.stopKeyword, marketing: null }
  const kind = e.value === 'stop' ? 'marketing_stop' : 'marketing_resume'
  return { channel: e.channel, accountId: e.accountId, sender: e.sender, message: null, stopKeyword: false, marketing: { kind, detail: e.detail, externalId: e.externalId, at: e.at } }
}

const CLASH_ATTEMPTS = 5

function isContactClash(error: unknown): boolean {
  const e = typeof error === 'object' && error !== null ? (error as { code?: unknown; constraint_name?: unknown }) : {}
  return e.code === '23505' && (e.constraint_name === 'contacts_mobile_unique' || e.constraint_name === 'contacts_email_unique')
}

/**
 * Runs inbound work again when it clashed on a contact's unique mobile: a writer that takes no per-person locks
 * (an import batch, a hand-made contact) created that person between the lookup and the write, so the contact
 * exists now and the next lookup links to it instead of answering 500.
 */
async function retryOnContactClash<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (attempt >= CLASH_ATTEMPTS || !isContactClash(error)) throw error
    }
  }
}
