import type { Queryable } from './sql.ts'

const KEEP_MS = 2 * 24 * 3600_000

/**
 * Claims a Telegram update for this process: true the first time, false for a redelivery, in any process.
 * Updates older than two days are forgotten on the way.
 */
export async function claimTelegramUpdate(sql: Queryable, botId: string, updateId: number, now: Date): Promise<boolean> {
  const rows = await sql`
    with forgotten as (delete from telegram_updates where received_at < ${new Date(now.getTime() - KEEP_MS)})
    insert into telegram_updates (bot_id, update_id, received_at) values (${botId}, ${updateId}, ${now})
    on conflict do nothing
    returning update_id`
  return rows.length === 1
}

/** Gives an update back after its handling failed, so that Telegram's redelivery is handled. */
export async function releaseTelegramUpdate(sql: Queryable, botId: string, updateId: number): Promise<void> {
  await sql`delete from telegram_updates where bot_id = ${botId} and update_id = ${updateId}`
}
