import DataLoader from 'dataloader'
import type { Logger } from 'pino'
import { recordInboundMessageBatch, type MessageEvent } from '../../storage/inbound/batch.ts'
import type { InboundContext, Recorded } from '../../storage/inbound/events.ts'
import type { Sql } from '../../storage/sql.ts'
import { boundedBatches } from './batching.ts'

export interface InboundMessageWriter {
  /** Resolves once the message is committed (or known to be stored already); rejects when it could not be stored. */
  record(event: MessageEvent): Promise<Recorded>
}

const MAX_BATCH = 100
const MAX_BATCHES_IN_FLIGHT = 3

/**
 * Incoming messages from concurrent deliveries are written together: those that arrive during one turn of the
 * event loop, and all that arrive while three batches are being written, go in one transaction
 * (storage/inbound-batch.ts). Each delivery still answers only after its own messages are committed. A batch
 * that fails is retried message by message, so one message PostgreSQL refuses fails only its own delivery.
 */
export function batchedInboundWriter(sql: Sql, context: () => InboundContext, logger: Logger): InboundMessageWriter {
  const batches = boundedBatches(MAX_BATCHES_IN_FLIGHT)
  const writeEach = (events: readonly MessageEvent[]) =>
    Promise.all(events.map((e) => recordInboundMessageBatch(sql, [e], context()).then(([result]) => result as Recorded, (error: unknown) => asError(error))))
  const loader = new DataLoader<MessageEvent, Recorded>(
    (events) => batches.run(async () => {
      try {
        return await recordInboundMessageBatch(sql, events, context())
      } catch (error) {
        if (events.length === 1) return [asError(error)]
        logger.warn({ err: asError(error), messages: events.length }, 'inbound batch failed; writing its messages one by one')
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
