import { claimTelegramUpdate, releaseTelegramUpdate } from '../../storage/telegram-updates.ts'
import { findUserByTelegramId, type User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import type { JobData } from '../jobs/queue.ts'

/** A Telegram update is stored as a job and answered at once; the bot handles it there, whatever the Bot API does. */
export async function acceptTelegramUpdate(deps: Deps, update: JobData['telegram-update']['update']): Promise<void> {
  await deps.jobs.send('telegram-update', { update })
}

/** Whether this process is the first to handle the update; a redelivered update is then left alone. */
export function claimUpdate(deps: Deps, botId: string, updateId: number): Promise<boolean> {
  return claimTelegramUpdate(deps.sql, botId, updateId, deps.now())
}

/** An update whose handling failed is given back, so its job's retry handles it again. */
export function releaseUpdate(deps: Deps, botId: string, updateId: number): Promise<void> {
  return releaseTelegramUpdate(deps.sql, botId, updateId)
}

/** The user a Telegram account belongs to, or null: the bot obeys only its users. */
export function telegramUser(deps: Deps, telegramId: string): Promise<User | null> {
  return findUserByTelegramId(deps.sql, telegramId)
}
