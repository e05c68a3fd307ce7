import { Hono } from 'hono'
import { acceptTelegramUpdate } from '../../actions/telegram.ts'
import type { AppEnv, Deps } from '../../deps.ts'
import type { JobData } from '../../jobs/queue.ts'
import { AppError } from '../../actions/errors.ts'
import { secretsEqual } from '../signature.ts'

/** A Telegram Update: a JSON object with a numeric update_id; anything else is refused before grammY sees it. */
function updateOf(text: string): JobData['telegram-update']['update'] {
  let update: unknown
  try {
    update = JSON.parse(text)
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.')
  }
  if (typeof update !== 'object' || update === null || !Number.isSafeInteger((update as { update_id?: unknown }).update_id)) {
    throw new AppError('malformed_request', 'A Telegram update is a JSON object with a numeric update_id.')
  }
  return update as JobData['telegram-update']['update']
}

/**
 * POST /telegram/webhook: Telegram's updates for the admin bot, checked against TELEGRAM_WEBHOOK_SECRET, stored as a
 * job and answered at once: the Bot API may be slow or down, and Telegram redelivers what is not answered in time.
 */
export function telegramRoutes(deps: Deps) {
  const app = new Hono<AppEnv>()
  const secret = deps.config.telegram.webhookSecret
  app.post('/telegram/webhook', async (c) => {
    if (deps.config.telegram.botToken === undefined) throw new AppError('not_configured', 'The admin bot is off: TELEGRAM_BOT_TOKEN is not set.')
    if (secret === undefined) throw new AppError('not_configured', 'Set TELEGRAM_WEBHOOK_SECRET to run the bot by webhook.')
    if (!(await secretsEqual(secret, c.req.header('x-telegram-bot-api-secret-token')))) {
      throw new AppError('unauthorized', 'The secret token does not match.')
    }
    await acceptTelegramUpdate(c.var.deps, updateOf(await c.req.text()))
    return c.json({ ok: true }, 200)
  })
  return app
}
