import { Composer } from 'grammy'
import { bulkEditContacts } from '../../gateway/actions/contact-bulk.ts'
import { activeContact } from '../../gateway/actions/contact-view.ts'
import { AppError } from '../../gateway/actions/errors.ts'
import { canonicalId, mayChangeContact, SEND_CHANNELS, type DenyReason } from '../../gateway/actions/vocabulary.ts'
import { contactLists, listReach } from '../../gateway/actions/lists.ts'
import type { BotContext } from '../context.ts'
import { refusalText } from '../errors.ts'

/** Why a member may not get the message, as a person reads it. */
export const DENIED_AS_TEXT: Record<DenyReason, string> = {
  contact_inactive: 'deleted or merged',
  no_channel_identity: 'no number or id on this channel',
  missing_country_code: 'mobile without a country code',
  marketing_opted_out: 'opted out of marketing',
  reactive_outside_window: 'reactive (only answered within 24 hours of writing)',
  template_required: 'outside the 24-hour window (a template is needed)',
  outside_window: 'outside the messaging window',
}

async function relabel(ctx: BotContext, match: string, add: boolean): Promise<void> {
  const [given, ...words] = match.trim().split(/\s+/)
  const id = canonicalId(given ?? '')
  const name = words.join(' ').trim()
  if (id === null || name === '') return void (await ctx.reply(`Usage: /${add ? 'label' : 'unlabel'} <contactId> <label name>`))
  const contact = await activeContact(ctx.deps, id)
  if (contact === null) return void (await ctx.reply('No contact has that id.'))
  try {
    const edits = add ? { addLabels: [name] } : { removeLabels: [name] }
    const outcome = await bulkEditContacts(ctx.deps, ctx.actor, { ids: [id] }, edits, 'bot')
    const after = await activeContact(ctx.deps, id)
    const now = after === null || after.labels.length === 0 ? 'no labels' : `labels: ${after.labels.join(', ')}`
    if (outcome.changed === 1) return void (await ctx.reply(`${contact.name ?? contact.id} now has ${now}.`))
    const unchanged = add || !contact.labels.some((l) => l.toLowerCase() === name.toLowerCase())
    await ctx.reply(unchanged && mayChangeContact(ctx.actor, contact.ownerId)
      ? `Nothing to change: ${contact.name ?? contact.id} has ${now}.`
      : 'Not changed: agents change the contacts they own or nobody owns.')
  } catch (error) {
    if (!(error instanceof AppError)) throw error
    await ctx.reply(refusalText(error))
  }
}

/** Labels and contact lists from a chat, through the same actions as the API and the console. */
export function organizingCommands() {
  const composer = new Composer<BotContext>()
  composer.command('label', (ctx) => relabel(ctx, ctx.match, true))
  composer.command('unlabel', (ctx) => relabel(ctx, ctx.match, false))

  composer.command('lists', async (ctx) => {
    const lists = await contactLists(ctx.deps)
    await ctx.reply(lists.length === 0 ? 'There are no contact lists yet.' : lists.map((l) => `${l.name}: ${l.members} member${l.members === 1 ? '' : 's'} · ${l.id}`).join('\n'))
  })

  composer.command('reach', async (ctx) => {
    const [given, channel] = ctx.match.trim().split(/\s+/)
    const id = canonicalId(given ?? '')
    const chosen = channel === undefined || channel === '' ? 'whatsapp' : SEND_CHANNELS.find((c) => c === channel)
    if (id === null || chosen === undefined) return void (await ctx.reply('Usage: /reach <listId> [whatsapp|instagram|messenger]'))
    try {
      const reach = await listReach(ctx.deps, id, { channel: chosen, kind: 'template' })
      const denied = Object.entries(reach.denied).map(([reason, n]) => `· ${n}: ${DENIED_AS_TEXT[reason as DenyReason]}`)
      await ctx.reply([`${reach.allowed} of ${reach.members} may get a ${chosen} template now.`, ...(denied.length > 0 ? ['Not the others:', ...denied] : [])].join('\n'))
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      await ctx.reply(error.code === 'not_found' ? 'No contact list has that id; see /lists.' : refusalText(error))
    }
  })
  return composer
}
