import DataLoader from 'dataloader'
import { loadSendTargets, type SendTarget } from '../storage/outbound.ts'
import type { Sql } from '../storage/sql.ts'

export interface SendTargetReader {
  /** What the send decision needs about a contact, read now (never from a cache), or null. */
  load(contactId: string): Promise<SendTarget | null>
}

const MAX_BATCH = 200
const MAX_BATCHES_IN_FLIGHT = 2

/**
 * Checks arrive in bursts from many connections; the contacts they ask about during one turn of the event loop are
 * read with one query instead of one each. Nothing is cached between turns, so a check never sees a preference or a
 * window older than the request: the batch is read after every request in it arrived.
 */
export function batchedSendTargetReader(sql: Sql): SendTargetReader {
  // A batch waits while two are being read: under load the batches grow instead of the number of queries.
  let inFlight = 0
  const waiting: (() => void)[] = []
  const loader = new DataLoader<string, SendTarget | null>(
    async (ids) => {
      inFlight++
      try {
        const found = await loadSendTargets(sql, ids)
        return ids.map((id) => found.get(id) ?? null)
      } finally {
        inFlight--
        waiting.shift()?.()
      }
    },
    {
      cache: false, maxBatchSize: MAX_BATCH,
      batchScheduleFn: (run) => setImmediate(() => (inFlight < MAX_BATCHES_IN_FLIGHT ? run() : waiting.push(run))),
    },
  )
  return { load: (contactId) => loader.load(contactId) }
}
