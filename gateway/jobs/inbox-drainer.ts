import { DRAIN_BATCH, drainInbox } from '../actions/inbound.ts'
import type { Deps } from '../deps.ts'

export type Drainer = { stop(): Promise<void> }

// Another process's deliveries are seen at this interval; this process's own wake the drainer at once.
const IDLE_POLL_MS = 100
const MAX_BACKOFF_MS = 5000
// While this process is busy answering (deliveries arriving faster than this during a turn), the drainer takes at
// most this share of the time: a burst is answered at the speed of storage and waits in the inbox, and the drainer
// catches up at full speed once it passes. A steady flow below the rate is drained as it comes. bench/ingest.ts:
// answering alone runs at 0.8 of the durable floor and draining alone at 0.35; when both shared the two cores
// evenly, each ran at about 0.33; with this share, see docs/benchmarks.md.
const BUSY_ARRIVALS_PER_SECOND = 2500
// A short turn says little about the rate (autocannon and Meta send in clumps): at least this many must arrive.
const BUSY_ARRIVALS = 200
const BUSY_SHARE = 0.2

/**
 * Drains the inbox for as long as the process runs (WORKERS=on): again at once while there is more, at the next
 * wake or poll when it is empty or another process has the turn, a share of the time while answering keeps this
 * process busy, and with a growing pause while the database fails.
 */
export function startInboxDrainer(deps: Deps): Drainer {
  let stopped = false
  let woken = false
  let interrupt: (() => void) | null = null
  let arrivals = 0
  /** Waits `ms`, or less: until stop(), and when `wakeable`, until this process stores a delivery. */
  const pause = (ms: number, wakeable = true) => new Promise<void>((resolve) => {
    if (stopped || (wakeable && woken)) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      interrupt = null
      resolve()
    }
    interrupt = () => (stopped || wakeable ? done() : undefined)
  })
  const unsubscribe = deps.inbox.onWake(() => {
    arrivals++
    woken = true
    interrupt?.()
  })
  const loop = (async () => {
    let failures = 0
    while (!stopped) {
      woken = false
      arrivals = 0
      try {
        const started = performance.now()
        const taken = await drainInbox(deps)
        failures = 0
        const took = performance.now() - started
        if (taken !== null && taken > 0 && arrivals > BUSY_ARRIVALS && arrivals / (took / 1000) > BUSY_ARRIVALS_PER_SECOND) await pause(took * (1 / BUSY_SHARE - 1), false)
        else if (taken === null || taken < DRAIN_BATCH) await pause(IDLE_POLL_MS)
      } catch (error) {
        failures++
        deps.logger.error({ err: error, failures }, 'inbox drain failed')
        await pause(Math.min(MAX_BACKOFF_MS, 100 * 2 ** failures))
      }
    }
  })()
  return {
    async stop() {
      stopped = true
      unsubscribe()
      interrupt?.()
      await loop
    },
  }
}
