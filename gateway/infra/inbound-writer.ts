import DataLoader from 'dataloader'
import type { Logger } from 'pino'
import { recordInboundBatch, type InboundContext, type Recorded, type SenderEvent } from '../../storage/inbound/batch.ts'
import type { Sql } from '../../storage/sql.ts'
import { boundedBatches } from './batching.ts'

export interface InboundWriter {
  /** Resolves once the event is committed (or known to be stored already); rejects when it could not be stored. */
  record(event: SenderEvent): Promise<Recorded>
}

const MAX_BATCH = 100
const MAX_BATCHES_IN_FLIGHT = 3

/**
 * Inbound events that name a person (messages, marketing choices, number changes), from concurrent deliveries,
 * are written together: those that arrive during one turn of the event loop, and all that arrive while three
 * batches are being written, go in one transaction (storage/inbound/batch.ts). Each delivery still answers only
 * after its own events are committed. A batch that fails is retried event by event, so one event PostgreSQL
 * refuses fails only its own delivery.
 */
export function batchedInboundWriter(sql: Sql, context: () => InboundContext, logger: Logger): InboundWriter {
  const batches = boundedBatches(MAX_BATCHES_IN_FLIGHT)
  const writeEach = (events: readonly SenderEvent[]) =>
    Promise.all(events.map((e) => recordInboundBatch(sql, [e], context()).then(([result]) => result as Recorded, (error: unknown) => asError(error))))
  const loader = new DataLoader<SenderEvent, Recorded>(
    (events) => batches.run(async () => {
      try {
        return await recordInboundBatch(sql, events, context())
      } catch (error) {
        if (events.length === 1) return [asError(error)]
        logger.warn({ err: asError(error), messages: events.length }, 'inbound batch failed; writing its events one by one')
        return await writeEach(events)
      }
    }),
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: batches.batchScheduleFn },
  )
  return { record: (event) => loader.load(event) }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}
