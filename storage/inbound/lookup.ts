import type { InboundWrite, SenderLookup } from '../../domain/inbound/plan.ts'
import { spellings } from '../../domain/inbound/senders.ts'
import type { Tx } from '../sql.ts'

type LookupRow = {
  ord: number; found_seen: boolean; found_id: string | null; found_owner_id: string | null; found_name: string | null
  found_mobile: string | null; found_chat_id: string | null; members: string[]; admins: string[]
}

/**
 * In one round trip (storage/migrations/008): takes the advisory locks on `lockKeys` (sorted, as every writer takes
 * them), then reads for every write whether its message is stored already, the sender's contact and its chat in
 * this inbox. A marketing event is a duplicate when its id is recorded already (a second round trip, only for
 * batches that hold one).
 */
export async function lookUpSenders(tx: Tx, writes: readonly InboundWrite[], lockKeys: readonly string[]): Promise<SenderLookup[]> {
  const rows = await tx<LookupRow[]>`
    select * from inbound_lookup_batch(${tx.json(writes.map((w, ord) => ({
      ord, channel: w.channel, account_id: w.accountId, ids: w.sender.externalIds, mobiles: spellings(w.sender), message_id: w.message?.externalId ?? null,
    })))}, ${[...lockKeys]}::text[])`
  const marketingIds = writes.flatMap((w) => (w.marketing === null ? [] : [w.marketing.externalId]))
  const recorded = marketingIds.length === 0 ? new Set<string>() : new Set((await tx<{ key: string }[]>`
    select channel || ':' || external_id as key from consent_events where external_id = any(${marketingIds}::text[])`).map((r) => r.key))
  const byOrd = new Map(rows.map((row) => [row.ord, row]))
  return writes.map((w, ord) => {
    const row = byOrd.get(ord)
    if (row === undefined) throw new Error(`inbound_lookup_batch returned no row for write ${ord}`)
    const marketingSeen = w.marketing !== null && recorded.has(`${w.channel}:${w.marketing.externalId}`)
    return {
      seen: row.found_seen || marketingSeen,
      contact: row.found_id === null ? null : { id: row.found_id, ownerId: row.found_owner_id, name: row.found_name, mobile: row.found_mobile },
      chatId: row.found_chat_id,
      members: row.members,
      admins: row.admins,
    }
  })
}
