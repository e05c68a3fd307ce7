/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { canonicalId } from '../../../domain/ids.ts'
import type { InboxRef } from '../../../storage/users.ts'
import { allUsers, changeUser, createUser, findUser, issuePasswordLink } from '../../actions/users.ts'
import { passwordLinkUrl } from '../routes/users.ts'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { EMPTY_USER_FORM, UsersPage, type NewUserForm, type UsersView } from './users-page.tsx'

type C = Context<ConsoleEnv>

const INBOX = /^(whatsapp|instagram|messenger):(\S{1,100})$/

function parseInboxes(text: string): InboxRef[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '')
  const inboxes = parts.map((p) => INBOX.exec(p)).map((m) => (m === null ? null : { channel: m[1] as InboxRef['channel'], accountId: m[2] as string }))
  return inboxes.every((i) => i !== null) ? inboxes : null
}

async function render(c: C, extra: Partial<UsersView> = {}, status: 200 | 409 | 422 = 200) {
  return c.html(<UsersPage user={c.var.user} assets={c.var.assets} users={await allUsers(c.var.deps)} form={EMPTY_USER_FORM} errors={{}} {...extra} />, status)
}

/** Admins only: agents get the same "not found" as for any page that is not theirs. */
export function userPages() {
  const app = new Hono<ConsoleEnv>()
  app.use('/console/users', async (c, next) => (c.var.user.role === 'admin' ? next() : denied(c)))
  app.use('/console/users/*', async (c, next) => (c.var.user.role === 'admin' ? next() : denied(c)))
  app.get('/console/users', (c) => render(c))
  app.post('/console/users', async (c) => {
    const body = await c.req.parseBody()
    const form: NewUserForm = Object.fromEntries((Object.keys(EMPTY_USER_FORM) as (keyof NewUserForm)[]).map((k) => [k, typeof body[k] === 'string' ? body[k].trim() : ''])) as NewUserForm
    const errors: UsersView['errors'] = {}
    if (form.name === '') errors.name = 'Give the user a name.'
    if (form.telegramId !== '' && !/^\d{1,20}$/.test(form.telegramId)) errors.telegramId = 'A Telegram id is a number.'
    const inboxes = parseInboxes(form.inboxes)
    if (inboxes === null) errors.inboxes = 'Write each inbox as channel:account id (whatsapp, instagram or messenger).'
    const role = form.role === 'admin' ? 'admin' : 'agent'
    if (Object.keys(errors).length > 0 || inboxes === null) return render(c, { form, errors }, 422)
    const created = await createUser(c.var.deps, { name: form.name, email: form.email === '' ? null : form.email, role, telegramId: form.telegramId === '' ? null : form.telegramId, inboxes })
    if (!created.ok) {
      const refusal = {
        email: { email: 'Another user signs in with this email.' }, invalid_email: { email: 'This is not a valid email address.' },
        telegram_id: { telegramId: 'Another user has this Telegram id.' }, not_found: {}, builtin: {},
      }[created.reason]
      return render(c, { form, errors: refusal }, created.reason === 'invalid_email' ? 422 : 409)
    }
    const issued = created.passwordCode === null ? undefined : { name: created.user.name, link: passwordLinkUrl(c.req.url, created.passwordCode) }
    return render(c, { issued })
  })
  app.post('/console/users/:id/password-link', async (c) => {
    const id = canonicalId(c.req.param('id'))
    const user = id === null ? null : await findUser(c.var.deps, id)
    if (user === null || id === null) return denied(c)
    return render(c, { issued: { name: user.name, link: passwordLinkUrl(c.req.url, await issuePasswordLink(c.var.deps, id)) } })
  })
  app.post('/console/users/:id/active', async (c) => {
    const id = canonicalId(c.req.param('id'))
    if (id === null) return denied(c)
    const active = (await c.req.parseBody()).active === 'true'
    await changeUser(c.var.deps, id, { active })
    return c.redirect('/console/users', 303)
  })
  return app
}

function denied(c: C) {
  return c.html(<Page title="Not found" assets={c.var.assets} user={c.var.user}><h1>Not found</h1><p>There is no such page for you.</p></Page>, 404)
}
