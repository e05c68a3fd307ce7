import { timePage, type TimeCursor, type TimePage } from './pages.ts'
import { jsonRecords } from './records.ts'
import type { Queryable, Sql, Tx } from './sql.ts'

export type NewDelivery = { channel: string; body: string; receivedAt: Date }
export type Delivery = { id: string; channel: string; body: string; receivedAt: Date; attempts: number }
export type DeadDelivery = { id: string; channel: string; receivedAt: Date; attempts: number; reason: string; deadAt: Date }

// Any constant works; it only has to be the same in every process that drains this database.
const DRAIN_LOCK_KEY = 727_274_018

/** Deliveries that arrived together, in one insert: each is acknowledged once this commits. */
export async function storeDeliveries(sql: Queryable, deliveries: readonly NewDelivery[]): Promise<void> {
  const records = deliveries.map((d, ord) => ({ ord, channel: d.channel, body: d.body, received_at: d.receivedAt.toISOString() }))
  await sql`
    insert into inbox (channel, body, received_at)
    select x.channel, x.body, x.received_at
    from ${jsonRecords(sql, { ord: 'int', channel: 'text', body: 'text', received_at: 'timestamptz' }, records)}
    order by x.ord`
}

/**
 * Makes this transaction the one drainer of the inbox until it ends, or says another one is. One drainer at a
 * time is what keeps every sender's events in arrival order across processes; it takes big batches instead.
 */
export async function takeDrainTurn(tx: Tx): Promise<boolean> {
  const [row] = await tx<{ ok: boolean }[]>`select pg_try_advisory_xact_lock(${DRAIN_LOCK_KEY}) as ok`
  return row?.ok === true
}

/** The oldest deliveries due now, in arrival order. */
export async function claimDeliveries(tx: Tx, limit: number, now: Date): Promise<Delivery[]> {
  const rows = await tx<{ id: string; channel: string; body: string; received_at: Date; attempts: number }[]>`
    select id, channel, body, received_at, attempts from inbox
    where dead_at is null and (retry_at is null or retry_at <= ${now})
    order by id limit ${limit}`
  return rows.map((r) => ({ id: String(r.id), channel: r.channel, body: r.body, receivedAt: r.received_at, attempts: r.attempts }))
}

/** The person keys held by deliveries waiting for a retry, each with the first such delivery and its retry time. */
export async function heldKeys(tx: Tx, now: Date): Promise<Map<string, { id: bigint; until: Date }>> {
  const rows = await tx<{ key: string; first: string; until: Date }[]>`
    select k as key, min(id)::text as first, max(retry_at) as until from inbox, unnest(sender_keys) as k
    where dead_at is null and retry_at > ${now} group by k`
  return new Map(rows.map((r) => [r.key, { id: BigInt(r.first), until: r.until }]))
}

export async function deleteDeliveries(tx: Queryable, ids: readonly string[]): Promise<void> {
  if (ids.length > 0) await tx`delete from inbox where id = any(${ids}::bigint[])`
}

/** A delivery put back: failed (attempts counted, then dead) or waiting behind one that failed (attempts kept). */
export type Deferral = { id: string; attempts: number; reason: string | null; senderKeys: readonly string[]; retryAt: Date | null; deadAt: Date | null }

export async function deferDeliveries(tx: Queryable, deferrals: readonly Deferral[]): Promise<void> {
  if (deferrals.length === 0) return
  const records = deferrals.map((f) => ({
    id: f.id, attempts: f.attempts, reason: f.reason, sender_keys: [...f.senderKeys],
    retry_at: f.retryAt?.toISOString() ?? null, dead_at: f.deadAt?.toISOString() ?? null,
  }))
  await tx`
    update inbox set attempts = x.attempts, last_error = coalesce(x.reason, inbox.last_error), sender_keys = x.sender_keys,
                     retry_at = x.retry_at, dead_at = x.dead_at
    from ${jsonRecords(tx, { id: 'bigint', attempts: 'int', reason: 'text', sender_keys: 'text[]', retry_at: 'timestamptz', dead_at: 'timestamptz' }, records)}
    where inbox.id = x.id`
}

/** Dead deliveries, newest first, after the cursor's (dead_at, id). */
export async function listDeadDeliveries(sql: Sql, limit: number, after: TimeCursor | null): Promise<TimePage<DeadDelivery>> {
  const rows = await sql<{ id: string; channel: string; received_at: Date; attempts: number; last_error: string | null; dead_at: Date }[]>`
    select id::text, channel, received_at, attempts, last_error, dead_at from inbox
    where dead_at is not null ${after === null ? sql`` : sql`and (dead_at, id) < (${after.at}::timestamptz, ${after.id}::bigint)`}
    order by dead_at desc, id desc limit ${limit + 1}`
  return timePage(
    rows, limit,
    (r) => ({ id: r.id, channel: r.channel, receivedAt: r.received_at, attempts: r.attempts, reason: r.last_error ?? '', deadAt: r.dead_at }),
    (r) => ({ at: r.dead_at.toISOString(), id: r.id }),
  )
}

/** Puts a dead delivery back in line with fresh attempts; false when there is no such dead delivery. */
export async function reviveDelivery(sql: Sql, id: string): Promise<boolean> {
  if (!isDeliveryId(id)) return false
  const rows = await sql`update inbox set dead_at = null, retry_at = null, attempts = 0 where id = ${id}::bigint and dead_at is not null returning id`
  return rows.length === 1
}

/** Inbox ids count deliveries in arrival order (a bigint); anything else names none. */
export function isDeliveryId(id: string): boolean {
  return /^[1-9]\d{0,17}$/.test(id)
}

export type InboxStats = { depth: number; lagSeconds: number; dead: number }

export async function inboxStats(sql: Sql, now: Date): Promise<InboxStats> {
  const [row] = await sql<{ depth: string; oldest: Date | null; dead: string }[]>`
    select count(*) filter (where dead_at is null) as depth, min(received_at) filter (where dead_at is null) as oldest,
           count(*) filter (where dead_at is not null) as dead
    from inbox`
  const oldest = row?.oldest ?? null
  return { depth: Number(row?.depth ?? 0), lagSeconds: oldest === null ? 0 : Math.max(0, (now.getTime() - oldest.getTime()) / 1000), dead: Number(row?.dead ?? 0) }
}
