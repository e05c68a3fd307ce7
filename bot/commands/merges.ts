import { Composer, InlineKeyboard } from 'grammy'
import { duplicateGroups, mergeDuplicates, undoMerge } from '../../gateway/actions/merges.ts'
import { proposeMerge, takeMergeProposal } from '../../gateway/actions/merge-proposals.ts'
import { canonicalId } from '../../gateway/actions/vocabulary.ts'
import { AppError } from '../../gateway/actions/errors.ts'
import { refusalText } from '../errors.ts'
import type { BotContext } from '../context.ts'
import { contactBrief, contactLine } from '../format.ts'

const GROUPS_SHOWN = 10
const CONTACTS_SHOWN = 5
// Telegram refuses messages over 4,096 characters.
const MAX_TEXT = 4000

async function answerError(ctx: BotContext, error: unknown): Promise<void> {
  if (error instanceof AppError) return void (await ctx.reply(`Not done: ${refusalText(error)}`))
  throw error
}

/**
 * Duplicates and merges, as the API does them. A merge is shown first and done only when the person who asked
 * presses Merge within ten minutes (gateway/actions/merge-proposals.ts).
 */
export function mergeCommands() {
  const composer = new Composer<BotContext>()

  composer.command('dupes', async (ctx) => {
    const groups = await duplicateGroups(ctx.deps, GROUPS_SHOWN)
    if (groups.length === 0) return void (await ctx.reply('No likely duplicates.'))
    const text = groups.map((g, i) => [
      `${i + 1}. ${g.reasons.map((r) => r.message).join(' ')}`,
      ...g.contacts.slice(0, CONTACTS_SHOWN).map((c) => `   ${contactLine(c)}`),
      ...(g.contacts.length > CONTACTS_SHOWN ? [`   …and ${g.contacts.length - CONTACTS_SHOWN} more (GET /v1/contacts/duplicates lists them all)`] : []),
      `   /merge ${g.contacts.slice(0, CONTACTS_SHOWN).map((c) => c.id).join(' ')}`,
    ].join('\n')).join('\n\n')
    const footer = '\n\nThe first contact of a /merge is kept; the others are folded into it.'
    await ctx.reply(text.length + footer.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - footer.length - 2)}…${footer}` : `${text}${footer}`)
  })

  composer.command('merge', async (ctx) => {
    const ids = ctx.match.trim().split(/\s+/).filter((s) => s !== '').map(canonicalId)
    const [primaryId, ...duplicateIds] = ids.filter((id) => id !== null)
    if (primaryId === undefined || duplicateIds.length === 0 || ids.includes(null)) {
      return void (await ctx.reply('Usage: /merge <primaryId> <duplicateId>… (ids as /dupes shows them)'))
    }
    const proposed = await proposeMerge(ctx.deps, ctx.actor, primaryId, duplicateIds)
    if (!proposed.ok) return void (await ctx.reply(`Not merged: ${proposed.why}.`))
    const { token, primary, duplicates, result } = proposed.proposal
    const preview = [
      `Merge ${duplicates.length} contact${duplicates.length === 1 ? '' : 's'} into ${contactBrief(primary)}?`,
      ...duplicates.map((d) => `  ← ${contactBrief(d)}`),
      'Result:',
      `  ${contactBrief(result.fields)}`,
      result.fields.otherMobiles.length > 0 ? `  other mobiles: ${result.fields.otherMobiles.join(', ')}` : null,
      result.fields.otherEmails.length > 0 ? `  other emails: ${result.fields.otherEmails.join(', ')}` : null,
      `  preference: ${result.preference}`,
    ].filter((line): line is string => line !== null).join('\n')
    await ctx.reply(preview, { reply_markup: new InlineKeyboard().text('Merge', `merge:${token}`).text('Cancel', `cancel:${token}`) })
  })

  composer.callbackQuery(/^(merge|cancel):([\w-]+)$/, async (ctx) => {
    const [, action, token] = ctx.match
    const p = await takeMergeProposal(ctx.deps, ctx.actor, token ?? '')
    if (p === null) {
      await ctx.answerCallbackQuery({ text: 'This merge is no longer pending; send /merge again.' })
      return
    }
    if (action === 'cancel') {
      await ctx.answerCallbackQuery({ text: 'Cancelled' })
      return void (await ctx.reply('Nothing merged.'))
    }
    await ctx.answerCallbackQuery()
    try {
      const { merge, contact } = await mergeDuplicates(ctx.deps, ctx.actor, p.primaryId, p.duplicateIds)
      await ctx.reply(`Merged into ${contactBrief(contact)}.\nUndo with /undo ${merge.id}`)
    } catch (error) {
      await answerError(ctx, error)
    }
  })

  composer.command('undo', async (ctx) => {
    const id = canonicalId(ctx.match.trim())
    if (id === null) return void (await ctx.reply('Usage: /undo <mergeId>'))
    try {
      const { merge, contact } = await undoMerge(ctx.deps, ctx.actor, id)
      await ctx.reply(`Undone: ${contactBrief(contact)} and ${merge.duplicateIds.length} contact${merge.duplicateIds.length === 1 ? '' : 's'} are separate again.`)
    } catch (error) {
      await answerError(ctx, error)
    }
  })
  return composer
}
