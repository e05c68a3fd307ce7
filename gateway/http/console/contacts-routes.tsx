/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { stream } from 'hono/streaming'
import { mayChangeContact } from '../../../domain/access.ts'
import { canonicalId } from '../../../domain/ids.ts'
import { parseCountry } from '../../../domain/country.ts'
import { getActiveContact } from '../../../storage/contacts.ts'
import { encodeTimeCursor, readTimeCursor } from '../cursor.ts'
import { bulkChangeContacts, deleteContactAs, editContactAs, type BulkChange } from '../../actions/contact-changes.ts'
import { countContacts, exportContactsCsv, listContacts, type ContactFilters } from '../../actions/contact-list.ts'
import { viewContact } from '../../actions/contact-view.ts'
import { contactHistory } from '../../actions/contact-history.ts'
import { createManualContact, type ContactOutcome } from '../../actions/contacts.ts'
import { allUsers } from '../../actions/users.ts'
import { ContactForm, commandOf, errorsByField, formValues, valuesOf, type Duplicate, type FormValues } from './contact-form.tsx'
import { ContactPage } from './contact-page.tsx'
import { ContactsPage, MatchCount } from './contacts-page.tsx'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { parseListQuery } from './list-query.ts'

type C = Context<ConsoleEnv>

function notFound(c: C, mergedInto: string | null = null) {
  return c.html(
    <Page title="Not found" assets={c.var.assets} user={c.var.user} section="contacts">
      <h1>No such contact</h1>
      {mergedInto === null ? <p>It was deleted, or never existed.</p> : <p>This contact was merged into <a href={`/console/contacts/${mergedInto}`}>another contact</a>.</p>}
      <p><a href="/console/contacts">Back to contacts</a></p>
    </Page>, 404)
}

function forbidden(c: C) {
  return c.html(<Page title="Not yours" assets={c.var.assets} user={c.var.user} section="contacts"><h1>Not yours to change</h1><p>Agents change the contacts they own and those nobody owns. Ask an admin.</p></Page>, 403)
}

/** Country filters are checked here so that a typo shows as "no such country" instead of an error page. */
function usableFilters(filters: ContactFilters): { filters: ContactFilters; notice?: string } {
  if (filters.country === undefined || parseCountry(filters.country).ok) return { filters }
  return { filters: { ...filters, country: undefined }, notice: `"${filters.country}" is not a country we know; the country filter was left out.` }
}

async function formPage(c: C, title: string, action: string, values: FormValues, outcome: ContactOutcome | null) {
  let errors = {}
  let duplicate: Duplicate | undefined
  if (outcome !== null && !outcome.ok && outcome.kind === 'invalid') errors = errorsByField(outcome.errors)
  if (outcome !== null && !outcome.ok && outcome.kind === 'duplicate') {
    duplicate = { conflict: outcome.conflict, holder: await getActiveContact(c.var.deps.sql, outcome.conflict.existingId) }
  }
  const status = outcome === null ? 200 : duplicate !== undefined ? 409 : 422
  return c.html(
    <Page title={title} assets={c.var.assets} user={c.var.user} section="contacts">
      <h1>{title}</h1>
      <ContactForm action={action} values={values} errors={errors} users={await allUsers(c.var.deps)} actor={c.var.user} duplicate={duplicate} />
    </Page>, status)
}

const BULK_DONE: Record<BulkChange['kind'], string> = { owner: 'Owner assigned to', preference: 'Preference set for', delete: 'Deleted' }

export function contactPages() {
  const app = new Hono<ConsoleEnv>()
  app.get('/console/contacts', async (c) => {
    const query = parseListQuery(c.req.query())
    const { filters, notice } = usableFilters(query.filters)
    const [page, users] = await Promise.all([
      listContacts(c.var.deps, { filters, sort: query.sort, limit: query.size, cursor: query.cursor, direction: query.direction }),
      allUsers(c.var.deps),
    ])
    const count = null
    const done = c.req.query('done')
    return c.html(<ContactsPage user={c.var.user} assets={c.var.assets} query={{ ...query, filters: query.filters }} page={page} count={count} users={users} notice={notice ?? done} />)
  })
  app.get('/console/contacts/count', async (c) => {
    const count = await countContacts(c.var.deps, usableFilters(parseListQuery(c.req.query()).filters).filters)
    if (c.req.header('hx-request') === 'true') return c.html(<MatchCount count={count} />)
    return c.html(<Page title="Contacts" assets={c.var.assets} user={c.var.user} section="contacts"><h1>Contacts</h1><MatchCount count={count} /><p><a href="/console/contacts">Back to contacts</a></p></Page>)
  })
  app.get('/console/contacts/export.csv', (c) => {
    const { filters } = usableFilters(parseListQuery(c.req.query()).filters)
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', 'attachment; filename="contacts.csv"')
    return stream(c, async (s) => {
      for await (const chunk of await exportContactsCsv(c.var.deps, filters)) await s.write(chunk)
    })
  })
  app.post('/console/contacts/bulk', async (c) => {
    const body = await c.req.parseBody({ all: true })
    const action = body.action
    const change: BulkChange | null =
      action === 'owner' ? { kind: 'owner', ownerId: typeof body.ownerId === 'string' && body.ownerId !== '' ? body.ownerId : null }
      : action === 'preference' ? { kind: 'preference', preference: body.preference === 'proactive' ? 'proactive' : 'reactive' }
      : action === 'delete' ? { kind: 'delete' } : null
    if (change === null) return c.redirect('/console/contacts', 303)
    const filters = parseListQuery(Object.fromEntries(Object.entries(body).filter(([k, v]) => k.startsWith('filter.') && typeof v === 'string').map(([k, v]) => [k.slice(7), v as string]))).filters
    const ids = [body.ids].flat().filter((v): v is string => typeof v === 'string').map(canonicalId).filter((v): v is string => v !== null)
    const everything = body.all === '1'
    const target = everything ? { filters: usableFilters(filters).filters } : { ids }
    if (!everything && ids.length === 0) return c.redirect(`/console/contacts?done=${encodeURIComponent('Select the contacts first.')}`, 303)
    if (change.kind === 'delete' && body.confirmed !== '1') {
      const many = everything ? (await countContacts(c.var.deps, target.filters ?? {})).count : ids.length
      return c.html(
        <Page title="Delete contacts" assets={c.var.assets} user={c.var.user} section="contacts">
          <h1>{`Delete ${many} contact${many === 1 ? '' : 's'}?`}</h1>
          <p>They leave the book and their mobiles and emails are free again. Contacts you may not change are left as they are.</p>
          <form method="post" action="/console/contacts/bulk">
            <input type="hidden" name="action" value="delete" />
            <input type="hidden" name="confirmed" value="1" />
            {everything && <input type="hidden" name="all" value="1" />}
            {Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === 'string').map(([k, v]) => <input type="hidden" name={`filter.${k}`} value={v} />)}
            {ids.map((id) => <input type="hidden" name="ids" value={id} />)}
            <button type="submit" class="danger">{`Delete ${many} contact${many === 1 ? '' : 's'}`}</button> <a href="/console/contacts">Cancel</a>
          </form>
        </Page>)
    }
    const outcome = await bulkChangeContacts(c.var.deps, c.var.user, target, change)
    const message = outcome.ok
      ? `${BULK_DONE[change.kind]} ${outcome.changed} contact${outcome.changed === 1 ? '' : 's'}.${outcome.skipped > 0 ? ` ${outcome.skipped} left as they were: not yours to change.` : ''}`
      : outcome.reason === 'unknown_owner' ? 'That owner is not an active user.' : 'Agents can only assign contacts to themselves.'
    return c.redirect(`/console/contacts?done=${encodeURIComponent(message)}`, 303)
  })
  app.get('/console/contacts/new', async (c) => formPage(c, 'New contact', '/console/contacts/new', { preference: 'reactive', ownerId: c.var.user.id }, null))
  app.post('/console/contacts/new', async (c) => {
    const values = formValues(await c.req.parseBody())
    const outcome = await createManualContact(c.var.deps, c.var.user, commandOf(values), 'console')
    if (outcome.ok) return c.redirect(`/console/contacts/${outcome.contact.id}?done=created`, 303)
    return formPage(c, 'New contact', '/console/contacts/new', values, outcome)
  })
  app.get('/console/contacts/:id', async (c) => {
    const id = canonicalId(c.req.param('id'))
    if (id === null) return notFound(c)
    const view = await viewContact(c.var.deps, id, readTimeCursor(c.req.query('messages')))
    if (!view.found) return notFound(c, view.mergedInto)
    const older = encodeTimeCursor(view.nextMessages)
    const notice = { created: 'Contact created.', saved: 'Saved.' }[c.req.query('done') ?? '']
    const history = await contactHistory(c.var.deps, id, 50, null)
    return c.html(<ContactPage user={c.var.user} assets={c.var.assets} contact={view.contact} users={await allUsers(c.var.deps)} channels={view.channels} history={history.items}
      messages={view.messages} olderMessages={older} mayChange={mayChangeContact(c.var.user, view.contact.ownerId)} notice={notice} justMerged={canonicalId(c.req.query('merged') ?? '') ?? undefined} />)
  })
  app.get('/console/contacts/:id/edit', async (c) => {
    const id = canonicalId(c.req.param('id'))
    const contact = id === null ? null : await getActiveContact(c.var.deps.sql, id)
    if (contact === null) return notFound(c)
    if (!mayChangeContact(c.var.user, contact.ownerId)) return forbidden(c)
    return formPage(c, `Edit ${contact.name ?? 'contact'}`, `/console/contacts/${contact.id}/edit`, valuesOf(contact), null)
  })
  app.post('/console/contacts/:id/edit', async (c) => {
    const id = canonicalId(c.req.param('id'))
    if (id === null) return notFound(c)
    const values = formValues(await c.req.parseBody())
    const outcome = await editContactAs(c.var.deps, c.var.user, id, commandOf(values), 'console')
    if (outcome.ok) return c.redirect(`/console/contacts/${id}?done=saved`, 303)
    if (outcome.kind === 'not_found') return notFound(c)
    if (outcome.kind === 'forbidden') return forbidden(c)
    return formPage(c, 'Edit contact', `/console/contacts/${id}/edit`, values, outcome)
  })
  app.get('/console/contacts/:id/delete', async (c) => {
    const id = canonicalId(c.req.param('id'))
    const contact = id === null ? null : await getActiveContact(c.var.deps.sql, id)
    if (contact === null) return notFound(c)
    if (!mayChangeContact(c.var.user, contact.ownerId)) return forbidden(c)
    return c.html(
      <Page title="Delete contact" assets={c.var.assets} user={c.var.user} section="contacts">
        <h1>{`Delete ${contact.name ?? 'this contact'}?`}</h1>
        <p>The contact leaves the book and its mobile and email are free again.</p>
        <form method="post" action={`/console/contacts/${contact.id}/delete`}>
          <button type="submit" class="danger">Delete contact</button> <a href={`/console/contacts/${contact.id}`}>Cancel</a>
        </form>
      </Page>)
  })
  app.post('/console/contacts/:id/delete', async (c) => {
    const id = canonicalId(c.req.param('id'))
    const outcome = id === null ? 'not_found' : await deleteContactAs(c.var.deps, c.var.user, id, 'console')
    if (outcome === 'not_found') return notFound(c)
    if (outcome === 'forbidden') return forbidden(c)
    return c.redirect(`/console/contacts?done=${encodeURIComponent('Contact deleted.')}`, 303)
  })
  return app
}
