import type { Update } from 'grammy/types'
import { botApi, createBot } from '../../bot/bot.ts'
import { expireDrafts } from '../actions/import-drafts.ts'
import { runImportJob } from '../actions/imports.ts'
import { runCrmSyncJob } from '../actions/crm.ts'
import type { Deps } from '../deps.ts'
import type { JobHandlers } from './queue.ts'

/** What each kind of job does: a few lines that call the bot or an action. */
export function jobHandlers(deps: Deps): JobHandlers {
  let bot: ReturnType<typeof createBot> | undefined
  let ready: Promise<void> | undefined
  const theBot = async () => {
    bot ??= createBot(deps)
    if (bot === null) throw new Error('The admin bot is off: TELEGRAM_BOT_TOKEN is not set.')
    // getMe, once: an update is handled only once the bot knows itself.
    ready ??= bot.init().catch((error: unknown) => {
      ready = undefined
      throw error
    })
    await ready
    return bot
  }
  const api = botApi(deps)
  return {
    async 'telegram-update'({ update }) {
      await (await theBot()).handleUpdate(update as unknown as Update)
    },
    async 'bot-reply'({ method, payload }) {
      if (api === null) return
      await (api.raw as unknown as Record<string, (p: unknown) => Promise<unknown>>)[method]?.(payload)
    },
    async import({ importId }) {
      await runImportJob(deps, importId)
    },
    async 'crm-sync'({ importId, system }) {
      await runCrmSyncJob(deps, importId, system)
    },
    async 'draft-expiry'() {
      await expireDrafts(deps)
    },
  }
}
