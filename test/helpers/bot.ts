import { vi } from 'vitest'
import { startTestApp, type TestApp } from './app.ts'
import { BOT_TOKEN, startFakeTelegram } from './fake-telegram.ts'

type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>

export const BOT_SECRET = 'telegram-webhook-secret-0123'

/** Sends updates to the gateway the way Telegram does: JSON POSTs with the secret token header. */
/** `firstUpdateId` apart for clients of the same bot: Telegram never sends one update_id twice, unless redelivering. */
export function botClient(t: TestApp, firstUpdateId = 1) {
  let updateId = firstUpdateId
  return {
    async deliver(message: Record<string, unknown>, from: number, secret: string | null = BOT_SECRET): Promise<Response> {
      const headers: Record<string, string> = { 'content-type': 'application/json' }
      if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret
      const id = updateId++
      const body = { update_id: id, message: { message_id: id, date: 1_700_000_000, chat: { id: from, type: 'private' }, from: { id: from, is_bot: false, first_name: 'Test' }, ...message } }
      const res = await t.app.request('/telegram/webhook', { method: 'POST', headers, body: JSON.stringify(body) })
      if (res.status === 200) await updateHandled(t, id)
      return res
    },
    /** Presses an inline keyboard button (a callback query) under one of the bot's messages. */
    async press(data: string, from: number): Promise<Response> {
      const id = updateId++
      const user = { id: from, is_bot: false, first_name: 'Test' }
      const body = {
        update_id: id,
        callback_query: { id: `cb${id}`, from: user, chat_instance: `ci${from}`, data, message: { message_id: 1000 + id, date: 1_700_000_000, chat: { id: from, type: 'private' }, from: { id: 42, is_bot: true, first_name: 'Bot' }, text: '…' } },
      }
      const res = await t.app.request('/telegram/webhook', { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': BOT_SECRET }, body: JSON.stringify(body) })
      if (res.status === 200) await updateHandled(t, id)
      return res
    },
  }
}

/** Waits until the job of an accepted update has been handled, as a person waits for the bot's answer. */
export function updateHandled(t: TestApp, updateId: number): Promise<void> {
  return vi.waitFor(async () => {
    const [job] = await t.deps.sql<{ state: string }[]>`
      select state::text from pgboss.job where name = 'telegram-update' and (data->'update'->>'update_id')::bigint = ${updateId}
      order by created_on desc limit 1`
    // Answered 200 without a job: the app runs jobs in the request (a Worker's, or a bare buildDeps), so it is done.
    if (job === undefined) return
    if (job.state !== 'completed' && job.state !== 'failed') throw new Error(`update ${updateId} is ${job.state}`)
  }, { timeout: 10_000, interval: 10 })
}

/** A message that starts with a bot command, with the entity Telegram attaches to it. */
export function command(text: string): Record<string, unknown> {
  return { text, entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0]!.length }] }
}

/** Waits until `probe` finds something, as Telegram's chat would show it: a summary sent after the answer. */
export function waitFor<T>(probe: () => T | undefined, what: string): Promise<T> {
  return vi.waitFor(() => {
    const value = probe()
    if (value === undefined) throw new Error(`still waiting for ${what}`)
    return value
  }, { timeout: 10_000, interval: 20 })
}

/** The fake Bot API, and a gateway whose bot talks to it, with `adminId` among TELEGRAM_ADMIN_IDS. */
export async function startBotTestApp(adminId: number, env: Record<string, string> = {}): Promise<{ t: TestApp; telegram: FakeTelegram; bot: ReturnType<typeof botClient>; close(): Promise<void> }> {
  const telegram = await startFakeTelegram()
  const t = await startTestApp({
    TELEGRAM_BOT_TOKEN: BOT_TOKEN, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_WEBHOOK_SECRET: BOT_SECRET,
    TELEGRAM_ADMIN_IDS: String(adminId), DEFAULT_COUNTRY: 'GB', ...env,
  })
  return { t, telegram, bot: botClient(t), close: async () => { await t.close(); await telegram.close() } }
}
