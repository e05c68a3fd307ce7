import type { Logger } from 'pino'

/**
 * Whether the database is reachable, as the requests found it. While it is not, requests answer 503 at once
 * instead of queueing behind a pool that cannot connect, and one probe at a time asks the database (in the
 * background, and when a request arrives), so that the first success closes the circuit again.
 */
export interface DatabaseCircuit {
  isOpen(): boolean
  /** Settles when the circuit opens (at once when it is open): requests waiting on the pool stop waiting. */
  opened(): Promise<void>
  /** Whether the database answers: true while the circuit is closed, else the outcome of a probe within `waitMs`. */
  ready(waitMs: number): Promise<boolean>
  /** A request met a connection failure. */
  trip(): void
  /**
   * A request has waited long on something: if the database does not answer on a connection of its own within the
   * probe's deadline, the circuit opens (a pooled connection dropped without a word would hold the request for ever).
   */
  stalled(): void
  stop(): void
}

const CONNECTION_FAILURES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'CONNECT_TIMEOUT', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', '57P01', '57P03']

/** An error that says the database cannot be reached (as opposed to one it answered with). */
export function isConnectionFailure(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : ''
  return CONNECTION_FAILURES.includes(code)
}

function latch(): { promise: Promise<void>; release: () => void } {
  let release = () => {}
  const promise = new Promise<void>((resolve) => { release = resolve })
  return { promise, release }
}

function after(ms: number): Promise<false> {
  return new Promise((resolve) => { setTimeout(() => resolve(false), ms).unref?.() })
}

/** Whether `probe` succeeds within `deadlineMs`: a probe on a connection that went silent never settles. */
function answersWithin(probe: () => Promise<unknown>, deadlineMs: number): Promise<boolean> {
  return Promise.race([probe().then(() => true, () => false), after(deadlineMs)])
}

export type CircuitOptions = {
  probeEveryMs?: number
  /** How long a probe may take before the database counts as unreachable: the pool's connect timeout. */
  probeDeadlineMs?: number
  /**
   * Asks the database on a connection opened for the question, not one from the pool, which may be the very
   * connection that went silent. Without it (the embedded database, Workers) a stalled request is not checked.
   */
  probeOwnConnection?: (() => Promise<unknown>) | undefined
}

export function databaseCircuit(poolProbe: () => Promise<unknown>, logger: Logger, options: CircuitOptions = {}): DatabaseCircuit {
  const { probeEveryMs = 200, probeDeadlineMs = 1500, probeOwnConnection } = options
  const probe = probeOwnConnection ?? poolProbe
  let open = false
  let stopped = false
  let signal = latch()
  let probing: Promise<boolean> | null = null
  let stallCheck: Promise<void> | null = null
  let timer: ReturnType<typeof setTimeout> | undefined
  const tryProbe = (): Promise<boolean> => (probing ??= answersWithin(probe, probeDeadlineMs).then((up) => {
    if (!up) return false
    if (open) logger.info('database reachable again')
    open = false
    signal = latch()
    return true
  }).finally(() => { probing = null }))
  const trip = () => {
    if (open || stopped) return
    open = true
    logger.error('database unreachable; answering 503 until a probe gets through')
    signal.release()
    schedule()
  }
  const schedule = () => {
    if (stopped || !open) return
    timer = setTimeout(() => void tryProbe().then((up) => up || schedule()), probeEveryMs)
    timer.unref?.()
  }
  return {
    isOpen: () => open,
    opened: () => signal.promise,
    ready: async (waitMs) => !open || Promise.race([tryProbe(), after(waitMs)]),
    trip,
    stalled() {
      // Many requests may stall together; one check at a time answers for all of them.
      if (probeOwnConnection === undefined || open || stopped || stallCheck !== null) return
      stallCheck = answersWithin(probeOwnConnection, probeDeadlineMs).then((up) => {
        if (!up) trip()
      }).finally(() => { stallCheck = null })
    },
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
