import { webhookCallback, type Bot } from 'grammy'
import { Hono } from 'hono'
import type { BotContext } from '../../../bot/context.ts'
import type { AppEnv, Deps } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { secretsEqual } from '../signature.ts'

/** A Telegram Update: a JSON object with a numeric update_id; anything else is refused before grammY sees it. */
function updateOf(text: string): { update_id: number } {
  let update: unknown
  try {
    update = JSON.parse(text)
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.')
  }
  if (typeof update !== 'object' || update === null || !Number.isSafeInteger((update as { update_id?: unknown }).update_id)) {
    throw new AppError('malformed_request', 'A Telegram update is a JSON object with a numeric update_id.')
  }
  return update as { update_id: number }
}

/** POST /telegram/webhook: Telegram's updates for the admin bot, checked against TELEGRAM_WEBHOOK_SECRET. */
export function telegramRoutes(deps: Deps, bot: Bot<BotContext> | null) {
  const app = new Hono<AppEnv>()
  const secret = deps.config.telegram.webhookSecret
  const handle = bot === null ? null : webhookCallback(bot, 'hono')
  app.post('/telegram/webhook', async (c) => {
    if (handle === null) throw new AppError('not_configured', 'The admin bot is off: TELEGRAM_BOT_TOKEN is not set.')
    if (secret === undefined) throw new AppError('not_configured', 'Set TELEGRAM_WEBHOOK_SECRET to run the bot by webhook.')
    if (!(await secretsEqual(secret, c.req.header('x-telegram-bot-api-secret-token')))) {
      throw new AppError('unauthorized', 'The secret token does not match.')
    }
    updateOf(await c.req.text())
    // grammY reads the body again through c.req.json(), which Hono serves from the text it cached.
    return handle(c)
  })
  return app
}
