import DataLoader from 'dataloader'
import { loadSendTargets, type SendTarget } from '../../storage/outbound.ts'
import type { Sql } from '../../storage/sql.ts'
import { boundedBatches } from './batching.ts'

export interface SendTargetReader {
  /** What the send decision needs about a contact, read now (never from a cache), or null. */
  load(contactId: string): Promise<SendTarget | null>
}

const MAX_BATCH = 200
const MAX_BATCHES_IN_FLIGHT = 2

/**
 * Checks arrive in bursts from many connections; the contacts they ask about during one turn of the event loop are
 * read with one query instead of one each, with at most two batches being read. Nothing is cached between
 * batches, so a check never sees a preference or a window older than the request: the batch is read after every
 * request in it arrived.
 */
export function batchedSendTargetReader(sql: Sql): SendTargetReader {
  const batches = boundedBatches(MAX_BATCHES_IN_FLIGHT)
  const loader = new DataLoader<string, SendTarget | null>(
    (ids) => batches.run(async () => {
      const found = await loadSendTargets(sql, ids)
      return ids.map((id) => found.get(id) ?? null)
    }),
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: batches.batchScheduleFn },
  )
  return { load: (contactId) => loader.load(contactId) }
}
