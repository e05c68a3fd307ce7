import DataLoader from 'dataloader'
import { storeDeliveries, type NewDelivery } from '../../storage/inbox.ts'
import type { Sql } from '../../storage/sql.ts'
import { boundedBatches } from './batching.ts'

export interface Inbox {
  /** Resolves once the delivery is committed to the inbox; rejects when it could not be stored. */
  store(delivery: NewDelivery): Promise<void>
  /** Tells this process's drainers that there is work, before their next look at the inbox. */
  wake(): void
  onWake(listener: () => void): () => void
}

const MAX_BATCH = 500
const MAX_BATCHES_IN_FLIGHT = 2

/**
 * Deliveries that arrive together are stored in one insert: those of one turn of the event loop, and all that
 * arrive while two inserts are being committed. Each still answers only after its own insert commits.
 */
export function batchedInbox(sql: Sql): Inbox {
  const batches = boundedBatches(MAX_BATCHES_IN_FLIGHT)
  const loader = new DataLoader<NewDelivery, void>(
    (deliveries) => batches.run(async () => {
      await storeDeliveries(sql, deliveries)
      return deliveries.map(() => undefined)
    }),
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: batches.batchScheduleFn },
  )
  const listeners = new Set<() => void>()
  return {
    store: (delivery) => loader.load(delivery),
    wake: () => { for (const listener of listeners) listener() },
    onWake(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
