import { Api, Bot } from 'grammy'
import type { Deps } from '../gateway/deps.ts'
import { claimUpdate, releaseUpdate, telegramUser } from '../gateway/actions/telegram.ts'
import { contactCommands } from './commands/contacts.ts'
import { importCommands } from './commands/imports.ts'
import { mergeCommands } from './commands/merges.ts'
import { organizingCommands } from './commands/organizing.ts'
import type { BotContext } from './context.ts'
import { deferFailedReplies } from './replies.ts'

const HELP = [
  'Contact Gateway admin bot',
  'Send a CSV or vCard (.vcf) file to import contacts (caption "update" fills empty fields of contacts that exist).',
  '/find <text>: contacts by name, phone, email or company',
  '/contact <id or phone>: one contact',
  '/pref <id> proactive|reactive · /owner <id> <userId>',
  '/check <id> [channel]: may we message them now?',
  '/dupes: likely duplicates · /merge <primaryId> <duplicateId>…: fold them together (asks first) · /undo <mergeId>',
  '/imports: the last imports · /sync hubspot|zoho: pull every CRM contact (an import too)',
  '/failures <importId>: the rows that were not imported, with reasons, and as a CSV file',
  '/label <id> <name> · /unlabel <id> <name>: give or take a label',
  '/lists: the contact lists · /reach <listId> [channel]: how many may get a template now, and why not the rest',
  '/help: this message',
].join('\n')

// grammY waits up to 500 s by default; a Bot API that holds the connection longer than this gets the reply later,
// from a job (bot/replies.ts), instead of holding the update's job.
const BOT_API_TIMEOUT_SECONDS = 10

/** The Bot API without the bot: a deferred reply is sent through it by its job, and fails there to be retried. */
export function botApi(deps: Deps): Api | null {
  const { botToken, apiRoot } = deps.config.telegram
  return botToken === undefined ? null : new Api(botToken, { apiRoot, timeoutSeconds: BOT_API_TIMEOUT_SECONDS })
}

/** The admin bot, or null when TELEGRAM_BOT_TOKEN is not set. It obeys only users known by their Telegram id. */
export function createBot(deps: Deps): Bot<BotContext> | null {
  const { botToken, apiRoot } = deps.config.telegram
  if (botToken === undefined) return null
  const bot = new Bot<BotContext>(botToken, { client: { apiRoot, timeoutSeconds: BOT_API_TIMEOUT_SECONDS } })
  bot.api.config.use(deferFailedReplies(deps.jobs, deps.now, (method, error) => deps.logger.warn({ method, err: error }, 'bot reply not taken; sent again by a job')))

  // The bot's own id leads its token (https://core.telegram.org/bots/api#authorizing-your-bot); update ids are per bot.
  const botId = /^\d+/.exec(botToken)?.[0] ?? '0'
  bot.use(async (ctx, next) => {
    const updateId = ctx.update.update_id
    if (!(await claimUpdate(deps, botId, updateId))) {
      deps.logger.info({ update: updateId }, 'telegram update delivered again; handled once already')
      return
    }
    try {
      await next()
    } catch (error) {
      await releaseUpdate(deps, botId, updateId).catch(() => {})
      throw error
    }
  })
  bot.use(async (ctx, next) => {
    const from = ctx.from
    const actor = from === undefined ? null : await telegramUser(deps, String(from.id))
    if (actor === null) {
      // One refusal, nothing else: no command runs and nothing is read or changed.
      if (ctx.chat !== undefined) await ctx.reply('Sorry, this bot only works for the team that runs it.')
      return
    }
    ctx.actor = actor
    ctx.deps = deps
    await next()
  })
  bot.command(['start', 'help'], (ctx) => ctx.reply(HELP))
  bot.use(contactCommands())
  bot.use(mergeCommands())
  bot.use(organizingCommands())
  bot.use(importCommands(apiRoot, botToken))
  bot.on('message', (ctx) => ctx.reply(`I did not understand that.\n\n${HELP}`))
  bot.catch((err) => deps.logger.error({ err: err.error, update: err.ctx.update.update_id }, 'bot update failed'))
  return bot
}
