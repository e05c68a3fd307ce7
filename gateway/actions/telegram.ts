import type { Deps } from '../deps.ts'
import type { JobData } from '../jobs/queue.ts'

/** A Telegram update is stored as a job and answered at once; the bot handles it there, whatever the Bot API does. */
export async function acceptTelegramUpdate(deps: Deps, update: JobData['telegram-update']['update']): Promise<void> {
  await deps.jobs.send('telegram-update', { update })
}
