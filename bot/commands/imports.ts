import { Composer, InputFile } from 'grammy'
import { startCrmSync } from '../../gateway/actions/crm.ts'
import { importFailuresFile, importFor, importHistory, importRowsPage } from '../../gateway/actions/import-history.ts'
import { startFileImport, uploadRefusal } from '../../gateway/actions/imports.ts'
import { AppError } from '../../gateway/actions/errors.ts'
import { canonicalId, CRM_NAMES } from '../../gateway/actions/vocabulary.ts'
import { refusalText } from '../errors.ts'
import type { BotContext } from '../context.ts'
import { importLine, importProgressText, importSummaryText } from '../progress.ts'

// The Bot API serves files up to 20 MB to bots (https://core.telegram.org/bots/api#getfile).
const BOT_API_DOWNLOAD_MB = 20
const BOT_API_DOWNLOAD_LIMIT = BOT_API_DOWNLOAD_MB * 1024 * 1024
const PROGRESS_EVERY_MS = 2000
const DOWNLOAD_TIMEOUT_MS = 5 * 60_000

/** A CSV or vCard sent to the bot becomes an import; progress edits one message, and the summary follows at the end. */
export function importCommands(apiRoot: string, token: string) {
  const composer = new Composer<BotContext>()

  composer.on('message:document', async (ctx) => {
    const doc = ctx.message.document
    const name = doc.file_name ?? 'file.csv'
    // Telegram sends a contact card as text/vcard or text/x-vcard; openContactFile reads it by its name, type or first line.
    if (!/\.(csv|txt|tsv|vcf)$/i.test(name) && !/^text\//.test(doc.mime_type ?? '')) {
      await ctx.reply(`${name} does not look like a CSV or vCard file; send a .csv or .vcf export.`)
      return
    }
    if (doc.file_size !== undefined && doc.file_size > BOT_API_DOWNLOAD_LIMIT) {
      await ctx.reply(`${name} is larger than ${BOT_API_DOWNLOAD_MB} MB, the most a bot can receive; use the API or npm run import.`)
      return
    }
    const tooLarge = uploadRefusal(ctx.deps, doc.file_size)
    if (tooLarge !== null) return void (await ctx.reply(`Could not import ${name}. ${refusalText(tooLarge)}`))
    const file = await ctx.getFile()
    // A download that stalls must end the import with a reason, not leave it in progress for ever.
    const res = await fetch(`${apiRoot}/file/bot${token}/${file.file_path ?? ''}`, { signal: AbortSignal.timeout(DOWNLOAD_TIMEOUT_MS) })
    if (!res.ok || res.body === null) {
      await ctx.reply(`Telegram did not hand over ${name} (HTTP ${res.status}); send it again.`)
      return
    }
    const update = /\bupdate\b/i.test(ctx.message.caption ?? '')
    let started: Awaited<ReturnType<typeof startFileImport>>
    // Progress edits the message sent once the import has started; the import reports as its batches are saved.
    let progressMessage: number | null = null
    try {
      started = await startFileImport(ctx.deps, {
        bytes: res.body, fileName: name, contentType: doc.mime_type ?? null, bytesTotal: doc.file_size ?? null, ownerId: ctx.actor.id,
        onDuplicate: update ? 'update' : 'skip',
        progress: { everyMs: PROGRESS_EVERY_MS, report: (i) => {
          if (progressMessage !== null) void ctx.api.editMessageText(ctx.chat.id, progressMessage, importProgressText(i)).catch(() => {})
        } },
      })
    } catch (error) {
      if (error instanceof AppError) {
        await ctx.reply(`Could not import ${name}. ${refusalText(error)}`)
        return
      }
      throw error
    }
    const chatId = ctx.chat.id
    // The columns were matched as a draft would suggest (a mapping confirmed for this header row, else the match).
    const ignored = (await importFor(ctx.deps, ctx.actor, started.id))?.ignoredColumns ?? []
    const ignoring = ignored.length === 0 ? '' : `\nIgnoring the columns ${ignored.map((c) => `"${c}"`).join(', ')}; to import them, map them in the console (Imports → New import).`
    const progress = await ctx.reply(`Importing ${name}… (import ${started.id}${update ? ', filling empty fields of existing contacts' : ''})${ignoring}`)
    // The webhook answers now; progress and the summary are sent as the import runs.
    progressMessage = progress.message_id
    void started.follow()
      .then(async (done) => {
        const record = done ?? (await importFor(ctx.deps, ctx.actor, started.id))
        if (record !== null) await ctx.api.sendMessage(chatId, importSummaryText(record))
      })
      .catch((error: unknown) => {
        ctx.deps.logger.error({ err: error, importId: started.id }, 'could not report the import to Telegram')
      })
  })

  composer.command('sync', async (ctx) => {
    const system = ctx.match.trim().toLowerCase()
    if (system !== 'hubspot' && system !== 'zoho') return void (await ctx.reply('Usage: /sync hubspot|zoho'))
    let started: Awaited<ReturnType<typeof startCrmSync>>
    try {
      started = await startCrmSync(ctx.deps, system, ctx.actor)
    } catch (error) {
      if (error instanceof AppError) return void (await ctx.reply(`Could not start the sync. ${refusalText(error)}`))
      throw error
    }
    const chatId = ctx.chat.id
    await ctx.reply(`Pulling every contact from ${CRM_NAMES[system]}… (import ${started.id}); the summary follows when it ends.`)
    void started.follow()
      .then(async () => {
        const record = await importFor(ctx.deps, ctx.actor, started.id)
        if (record !== null) await ctx.api.sendMessage(chatId, importSummaryText(record))
      })
      .catch((error: unknown) => ctx.deps.logger.error({ err: error, importId: started.id }, 'could not report the sync to Telegram'))
  })

  composer.command('imports', async (ctx) => {
    const page = await importHistory(ctx.deps, ctx.actor, 10, null)
    await ctx.reply(page.items.length === 0 ? 'No imports yet. Send a CSV or vCard file to start one.' : page.items.map(importLine).join('\n'))
  })

  composer.command('failures', async (ctx) => {
    const id = canonicalId(ctx.match.trim())
    const found = id === null ? null : await importFor(ctx.deps, ctx.actor, id)
    if (found === null) {
      await ctx.reply('Usage: /failures <importId> (see /imports)')
      return
    }
    if (found.duplicates + found.failed + found.warnings === 0) {
      await ctx.reply('Every row of that import was imported.')
      return
    }
    const first = await importRowsPage(ctx.deps, found.id, 0, 10)
    const lines = first.map((r) => `Row ${r.row} (${r.kind}): ${r.reason}`)
    const more = found.duplicates + found.failed + found.warnings - first.length
    await ctx.reply([...lines, ...(more > 0 ? [`…and ${more} more in the file below.`] : [])].join('\n'))
    const fileName = `${(found.fileName ?? 'import').replace(/\.(csv|vcf)$/i, '')}-failures.csv`
    await ctx.replyWithDocument(new InputFile(importFailuresFile(ctx.deps, found), fileName))
  })

  return composer
}
