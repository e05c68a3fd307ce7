import { Composer } from 'grammy'
import { editContactAs } from '../../gateway/actions/contact-changes.ts'
import type { ContactOutcome } from '../../gateway/actions/contacts.ts'
import { contactHistory } from '../../gateway/actions/contact-history.ts'
import { checkOutbound } from '../../gateway/actions/outbound.ts'
import { listContacts } from '../../gateway/actions/contact-list.ts'
import { lookUpContact } from '../../gateway/actions/contact-view.ts'
import { canonicalId, PREFERENCES, SEND_CHANNELS, type Contact, type Preference } from '../../gateway/actions/vocabulary.ts'
import { AppError } from '../../gateway/actions/errors.ts'
import { refusalText } from '../errors.ts'
import type { BotContext } from '../context.ts'
import { contactLine } from '../format.ts'

// These commands name a missing contact the same way, whether the id was looked up here or by an action.
const NO_SUCH_CONTACT = 'No contact has that id.'

function contactCard(c: Contact): string {
  const address = Object.values(c.address).filter((v) => v !== undefined).join(', ')
  const social = Object.entries(c.social).map(([network, handle]) => `${network}: ${handle}`).join(', ')
  return [
    c.name ?? '(no name)',
    c.mobile !== null ? `Mobile: ${c.mobile}` : null,
    c.email !== null ? `Email: ${c.email}` : null,
    c.dateOfBirth !== null ? `Born: ${c.dateOfBirth}` : null,
    c.company !== null ? `Company: ${c.company}` : null,
    address !== '' ? `Address: ${address}` : null,
    social !== '' ? `Social: ${social}` : null,
    c.identities.length > 0 ? `Channels: ${c.identities.map((i) => `${i.channel} ${i.externalId}`).join(', ')}` : null,
    `Preference: ${c.preference} · owner: ${c.ownerId ?? 'nobody'} · source: ${c.source}`,
    ...c.issues.map((i) => `⚠️ ${i.message}`),
    `id: ${c.id}`,
  ].filter((line): line is string => line !== null).join('\n')
}

/** A contact by id, or by a phone number or email that matches exactly one contact; else what to tell the person. */
async function findOne(ctx: BotContext, key: string): Promise<Contact | string> {
  const found = await lookUpContact(ctx.deps, key)
  switch (found.kind) {
    case 'found':
      return found.contact
    case 'missing':
      return found.byId ? NO_SUCH_CONTACT : 'No contact matches that.'
    case 'many':
      return `More than one contact matches; use an id:\n${found.contacts.map(contactLine).join('\n')}`
    case 'not_a_key':
      return 'Give a contact id, a phone number or an email.'
  }
}

function outcomeText(outcome: ContactOutcome | { ok: false; kind: 'forbidden' }, done: (c: Contact) => string): string {
  if (outcome.ok) return done(outcome.contact)
  switch (outcome.kind) {
    case 'invalid':
      return `Not changed: ${outcome.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`
    case 'duplicate':
      return `Not changed: contact ${outcome.conflict.existingId} already has this ${outcome.conflict.field}.`
    case 'not_found':
      return NO_SUCH_CONTACT
    case 'forbidden':
      return 'Not changed: agents change the contacts they own or nobody owns, and give them only to themselves.'
  }
}

/** Looking contacts up and changing who owns them and how they may be messaged, as the admin API does. */
export function contactCommands() {
  const composer = new Composer<BotContext>()

  composer.command('find', async (ctx) => {
    const q = ctx.match.trim()
    if (q === '') return void (await ctx.reply('Usage: /find <name, phone, email or company>'))
    const page = await listContacts(ctx.deps, { filters: { q }, sort: 'newest', limit: 10, cursor: null, direction: 'next' })
    const more = page.nextCursor !== null ? '\n…more; narrow the search.' : ''
    await ctx.reply(page.items.length === 0 ? `No contact matches "${q}".` : page.items.map(contactLine).join('\n') + more)
  })

  composer.command('contact', async (ctx) => {
    const key = ctx.match.trim()
    if (key === '') return void (await ctx.reply('Usage: /contact <id or phone>'))
    const found = await findOne(ctx, key)
    if (typeof found === 'string') return void (await ctx.reply(found))
    const history = await contactHistory(ctx.deps, found.id, 5, null)
    const lines = history.items.map((h) => `· ${h.at.slice(0, 16).replace('T', ' ')} ${h.kind} (${h.source})${h.changes === undefined ? '' : `: ${Object.keys(h.changes).join(', ')}`}`)
    await ctx.reply([contactCard(found), '', 'Last changes:', ...lines].join('\n'))
  })

  composer.command('pref', async (ctx) => {
    const [given, preference] = ctx.match.trim().split(/\s+/)
    const id = canonicalId(given ?? '')
    if (id === null || !PREFERENCES.includes(preference as Preference)) {
      return void (await ctx.reply('Usage: /pref <contactId> proactive|reactive'))
    }
    const outcome = await editContactAs(ctx.deps, ctx.actor, id, { preference: preference as Preference }, 'bot')
    await ctx.reply(outcomeText(outcome, (c) => `${c.name ?? c.id} is now ${c.preference}.`))
  })

  composer.command('owner', async (ctx) => {
    const [given, givenOwner] = ctx.match.trim().split(/\s+/)
    const id = canonicalId(given ?? '')
    const ownerId = canonicalId(givenOwner ?? '')
    if (id === null || ownerId === null) {
      return void (await ctx.reply('Usage: /owner <contactId> <userId>'))
    }
    const outcome = await editContactAs(ctx.deps, ctx.actor, id, { ownerId }, 'bot')
    await ctx.reply(outcomeText(outcome, (c) => `${c.name ?? c.id} is now owned by ${c.ownerId ?? 'nobody'}.`))
  })

  composer.command('check', async (ctx) => {
    const [given, channel] = ctx.match.trim().split(/\s+/)
    const id = canonicalId(given ?? '')
    const channels = channel === undefined || channel === '' ? SEND_CHANNELS : SEND_CHANNELS.filter((c) => c === channel)
    if (id === null || channels.length === 0) {
      return void (await ctx.reply('Usage: /check <contactId> [whatsapp|instagram|messenger]'))
    }
    try {
      const lines: string[] = []
      for (const ch of channels) {
        for (const kind of ['text', 'template'] as const) {
          const d = await checkOutbound(ctx.deps, { contactId: id, channel: ch, kind })
          lines.push(`${d.allowed ? '✅' : '⛔'} ${ch} ${kind}: ${d.reason}: ${d.message}`)
        }
      }
      await ctx.reply(lines.join('\n'))
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      await ctx.reply(error.code === 'not_found' ? NO_SUCH_CONTACT : refusalText(error))
    }
  })

  return composer
}
