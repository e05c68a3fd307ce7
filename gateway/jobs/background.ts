import type { Deps } from '../deps.ts'
import { jobHandlers } from './handlers.ts'
import { startInboxDrainer } from './inbox-drainer.ts'
import type { JobRuntime } from './pg-boss.ts'

export type BackgroundWork = { stop(): Promise<void> }

/** What a process with WORKERS=on does besides answering: drain the inbox and take jobs of every kind. */
export async function startBackgroundWork(deps: Deps, jobs: JobRuntime): Promise<BackgroundWork> {
  const drainer = startInboxDrainer(deps)
  await jobs.work(jobHandlers(deps))
  return {
    async stop() {
      await drainer.stop()
      await jobs.stop()
    },
  }
}
