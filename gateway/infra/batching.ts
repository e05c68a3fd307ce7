/**
 * DataLoader scheduling for reads and writes gathered per turn of the event loop, keeping at most `maxInFlight`
 * batches running: a batch that would start beyond that waits and keeps gathering, so under load the batches grow
 * instead of the number of queries.
 */
export function boundedBatches(maxInFlight: number) {
  let inFlight = 0
  const waiting: (() => void)[] = []
  return {
    batchScheduleFn: (dispatch: () => void) => setImmediate(() => (inFlight < maxInFlight ? dispatch() : waiting.push(dispatch))),
    /** Runs one batch, counting it as in flight until it settles. */
    async run<T>(batch: () => Promise<T>): Promise<T> {
      inFlight++
      try {
        return await batch()
      } finally {
        inFlight--
        waiting.shift()?.()
      }
    },
  }
}
