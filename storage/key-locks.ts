import type { Tx } from './sql.ts'

/**
 * Work on one person (inbound messages, CRM records, merges) is serialized by transaction-level advisory locks on
 * their keys: `<channel>:<id>`, `mobile:<e164>`, `email:<address>`. Every writer takes its keys in this order,
 * unique and sorted, so that two writers never wait on each other in a cycle. inbound_lookup and
 * inbound_lookup_batch (migrations 005, 007, 008) take them as `lockKeys` does, by hashtextextended(key, 0).
 */
export function lockOrder(keys: Iterable<string>): string[] {
  return [...new Set(keys)].sort()
}

export async function lockKeys(tx: Tx, keys: Iterable<string>): Promise<void> {
  await tx`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${lockOrder(keys)}::text[]) as k`
}
