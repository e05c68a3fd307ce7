/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { stream } from 'hono/streaming'
import { mayChangeContact } from '../../../domain/access.ts'
import { canonicalId } from '../../../domain/ids.ts'
import { getActiveContact } from '../../../storage/contacts.ts'
import { encodeTimeCursor, readTimeCursor } from '../cursor.ts'
import { deleteContactAs, editContactAs } from '../../actions/contact-changes.ts'
import { customFields } from '../../actions/custom-fields.ts'
import { labelNames } from '../../actions/labels.ts'
import { listNames, listsContaining } from '../../actions/lists.ts'
import { countContacts, exportContactsCsv, listContacts } from '../../actions/contact-list.ts'
import { viewContact } from '../../actions/contact-view.ts'
import { contactHistory } from '../../actions/contact-history.ts'
import { createManualContact, type ContactOutcome } from '../../actions/contacts.ts'
import { allUsers } from '../../actions/users.ts'
import { ContactForm, commandOf, errorsByField, formValues, valuesOf, type Duplicate, type FormErrors, type FormValues } from './contact-form.tsx'
import { ContactPage } from './contact-page.tsx'
import { ContactsPage, MatchCount } from './contacts-page.tsx'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { usableFilters } from './contact-filters.ts'
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

async function formPage(c: C, title: string, action: string, values: FormValues, outcome: ContactOutcome | null) {
  let errors: FormErrors = {}
  let duplicate: Duplicate | undefined
  if (outcome !== null && !outcome.ok && outcome.kind === 'invalid') errors = errorsByField(outcome.errors, values)
  if (outcome !== null && !outcome.ok && outcome.kind === 'duplicate') {
    duplicate = { conflict: outcome.conflict, holder: await getActiveContact(c.var.deps.sql, outcome.conflict.existingId) }
  }
  const status = outcome === null ? 200 : duplicate !== undefined ? 409 : 422
  return c.html(
    <Page title={title} assets={c.var.assets} user={c.var.user} section="contacts">
      <h1>{title}</h1>
      <ContactForm action={action} values={values} errors={errors} users={await allUsers(c.var.deps)} actor={c.var.user} fields={await customFields(c.var.deps)} duplicate={duplicate} />
    </Page>, status)
}

export function contactPages() {
  const app = new Hono<ConsoleEnv>()
  app.get('/console/contacts', async (c) => {
    const query = parseListQuery(c.req.query())
    const { filters, notice } = await usableFilters(c.var.deps, query.filters)
    const [page, users, labels, lists, fields] = await Promise.all([
      listContacts(c.var.deps, { filters, sort: query.sort, limit: query.size, cursor: query.cursor, direction: query.direction }),
      allUsers(c.var.deps), labelNames(c.var.deps), listNames(c.var.deps), customFields(c.var.deps),
    ])
    const count = null
    const finished = c.req.query('done')
    return c.html(<ContactsPage user={c.var.user} assets={c.var.assets} query={{ ...query, filters: query.filters }} page={page} count={count} users={users}
      labels={labels} lists={lists} fields={fields} notice={notice ?? finished} />)
  })
  app.get('/console/contacts/count', async (c) => {
    const count = await countContacts(c.var.deps, (await usableFilters(c.var.deps, parseListQuery(c.req.query()).filters)).filters)
    if (c.req.header('hx-request') === 'true') return c.html(<MatchCount count={count} />)
    return c.html(<Page title="Contacts" assets={c.var.assets} user={c.var.user} section="contacts"><h1>Contacts</h1><MatchCount count={count} /><p><a href="/console/contacts">Back to contacts</a></p></Page>)
  })
  app.get('/console/contacts/export.csv', async (c) => {
    const { filters } = await usableFilters(c.var.deps, parseListQuery(c.req.query()).filters)
    const chunks = await exportContactsCsv(c.var.deps, filters)
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', 'attachment; filename="contacts.csv"')
    return stream(c, async (s) => {
      for await (const chunk of chunks) await s.write(chunk)
    })
  })
  app.get('/console/contacts/new', async (c) => formPage(c, 'New contact', '/console/contacts/new', { preference: 'reactive', ownerId: c.var.user.id }, null))
  app.post('/console/contacts/new', async (c) => {
    const fields = await customFields(c.var.deps)
    const values = formValues(await c.req.parseBody(), fields)
    const outcome = await createManualContact(c.var.deps, c.var.user, commandOf(values, fields), 'console')
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
    const [history, users, labels, fields, lists] = await Promise.all([
      contactHistory(c.var.deps, id, 50, null), allUsers(c.var.deps), labelNames(c.var.deps), customFields(c.var.deps), listsContaining(c.var.deps, id),
    ])
    return c.html(<ContactPage user={c.var.user} assets={c.var.assets} contact={view.contact} users={users} channels={view.channels} history={history.items}
      labels={labels} fields={fields} lists={lists}
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
    const fields = await customFields(c.var.deps)
    const values = formValues(await c.req.parseBody(), fields)
    const outcome = await editContactAs(c.var.deps, c.var.user, id, commandOf(values, fields), 'console')
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
