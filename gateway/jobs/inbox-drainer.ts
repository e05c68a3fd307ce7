import { DRAIN_BATCH, drainInbox } from '../actions/inbound.ts'
import type { Deps } from '../deps.ts'

export type Drainer = { stop(): Promise<void> }

// Another process's deliveries are seen at this interval; this process's own wake the drainer at once.
const IDLE_POLL_MS = 100
const MAX_BACKOFF_MS = 5000

/**
 * Drains the inbox for as long as the process runs (WORKERS=on): again at once while there is more, at the next
 * wake or poll when it is empty or another process has the turn, and with a growing pause while the database fails.
 */
export function startInboxDrainer(deps: Deps): Drainer {
  let stopped = false
  let woken = false
  let interrupt: (() => void) | null = null
  const pause = (ms: number) => new Promise<void>((resolve) => {
    if (woken || stopped) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      interrupt = null
      resolve()
    }
    interrupt = done
  })
  const unsubscribe = deps.inbox.onWake(() => {
    woken = true
    interrupt?.()
  })
  const loop = (async () => {
    let failures = 0
    while (!stopped) {
      woken = false
      try {
        const taken = await drainInbox(deps)
        failures = 0
        if (taken === null || taken < DRAIN_BATCH) await pause(IDLE_POLL_MS)
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
