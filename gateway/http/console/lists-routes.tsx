/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { stream } from 'hono/streaming'
import { canonicalId } from '../../../domain/ids.ts'
import { labelNames } from '../../actions/labels.ts'
import {
  contactList, contactLists, createListAs, deleteListAs, exportListCsv, listMembers, listReach, removeMembersAs, updateListAs, type ContactList,
} from '../../actions/lists.ts'
import { allUsers } from '../../actions/users.ts'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { ListFormPage, ListPage, ListsPage, type ListFormValues } from './lists-page.tsx'
import { attempt, messagesByField } from './refusals.ts'

type C = Context<ConsoleEnv>

const PAGE_SIZE = 20

function notFound(c: C) {
  return c.html(<Page title="Not found" assets={c.var.assets} user={c.var.user} section="lists"><h1>No such list</h1><p>It was deleted, or never existed.</p><p><a href="/console/lists">Back to lists</a></p></Page>, 404)
}

function forbidden(c: C) {
  return c.html(<Page title="Not yours" assets={c.var.assets} user={c.var.user} section="lists"><h1>Not yours to change</h1><p>Only the one who made this list and admins may rename or delete it.</p></Page>, 403)
}

/** The list named by the URL, or null (a malformed id and a deleted list are both "no such list"). */
async function listOf(c: C): Promise<ContactList | null> {
  const id = canonicalId(c.req.param('id') ?? '')
  if (id === null) return null
  const found = await attempt(() => contactList(c.var.deps, id))
  return found.ok ? found.value : null
}

const mayManage = (c: C, list: ContactList) => c.var.user.role === 'admin' || list.ownerId === c.var.user.id

function formOf(body: Record<string, unknown>): ListFormValues {
  return { name: typeof body.name === 'string' ? body.name : '', description: typeof body.description === 'string' ? body.description : '' }
}

function ids(body: Record<string, unknown>): string[] {
  return [body.ids].flat().filter((v): v is string => typeof v === 'string').map(canonicalId).filter((v): v is string => v !== null)
}

/** /console/lists: everyone sees and fills lists; renaming and deleting one is for its maker and admins. */
export function listPages() {
  const app = new Hono<ConsoleEnv>()
  app.get('/console/lists', async (c) => {
    const [lists, users] = await Promise.all([contactLists(c.var.deps), allUsers(c.var.deps)])
    return c.html(<ListsPage user={c.var.user} assets={c.var.assets} lists={lists} users={users} notice={c.req.query('done')} />)
  })
  const newForm = (c: C, values: ListFormValues, errors: Record<string, string>, status: 200 | 422) =>
    c.html(<ListFormPage user={c.var.user} assets={c.var.assets} title="New list" action="/console/lists/new" submit="Create list" values={values} errors={errors} cancel="/console/lists" />, status)
  app.get('/console/lists/new', (c) => newForm(c, { name: '', description: '' }, {}, 200))
  app.post('/console/lists/new', async (c) => {
    const values = formOf(await c.req.parseBody())
    const made = await attempt(() => createListAs(c.var.deps, c.var.user, values))
    if (!made.ok) return newForm(c, values, messagesByField(made.error, 'name'), 422)
    return c.redirect(`/console/lists/${made.value.id}?done=${encodeURIComponent('List created. Add contacts from Contacts with "Add to list".')}`, 303)
  })
  app.get('/console/lists/:id', async (c) => {
    const list = await listOf(c)
    if (list === null) return notFound(c)
    const q = (c.req.query('q') ?? '').trim().slice(0, 200)
    const request = { q: q === '' ? undefined : q, limit: PAGE_SIZE, cursor: c.req.query('cursor') ?? null, direction: c.req.query('dir') === 'prev' ? 'prev' as const : 'next' as const }
    // A cursor that is not one of ours (an edited address) starts again from the first page.
    const paged = await attempt(() => listMembers(c.var.deps, list.id, request))
    const page = paged.ok ? paged.value : await listMembers(c.var.deps, list.id, { ...request, cursor: null, direction: 'next' })
    const [reach, users, labels] = await Promise.all([listReach(c.var.deps, list.id, { channel: 'whatsapp', kind: 'template' }), allUsers(c.var.deps), labelNames(c.var.deps)])
    return c.html(<ListPage user={c.var.user} assets={c.var.assets} list={list} page={page} q={q} reach={reach} users={users} labels={labels} mayManage={mayManage(c, list)} notice={c.req.query('done')} />)
  })
  app.post('/console/lists/:id/remove', async (c) => {
    const list = await listOf(c)
    if (list === null) return notFound(c)
    const picked = ids(await c.req.parseBody({ all: true }))
    const back = (message: string) => c.redirect(`/console/lists/${list.id}?done=${encodeURIComponent(message)}`, 303)
    if (picked.length === 0) return back('Select the members first.')
    const removed = await removeMembersAs(c.var.deps, c.var.user, list.id, picked, 'console')
    const left = picked.length - removed
    return back(`Removed ${removed} contact${removed === 1 ? '' : 's'} from the list.${left > 0 ? ` ${left} left as they were: not in the list, or not yours to change.` : ''}`)
  })
  app.get('/console/lists/:id/export.csv', async (c) => {
    const list = await listOf(c)
    if (list === null) return notFound(c)
    const chunks = await exportListCsv(c.var.deps, list.id)
    const file = list.name.normalize('NFKD').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase() || 'list'
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', `attachment; filename="${file}.csv"`)
    return stream(c, async (s) => {
      for await (const chunk of chunks) await s.write(chunk)
    })
  })
  const editForm = (c: C, list: ContactList, values: ListFormValues, errors: Record<string, string>, status: 200 | 422) =>
    c.html(<ListFormPage user={c.var.user} assets={c.var.assets} title={`Rename ${list.name}`} action={`/console/lists/${list.id}/edit`} submit="Save" values={values} errors={errors} cancel={`/console/lists/${list.id}`} />, status)
  app.get('/console/lists/:id/edit', async (c) => {
    const list = await listOf(c)
    if (list === null) return notFound(c)
    if (!mayManage(c, list)) return forbidden(c)
    return editForm(c, list, { name: list.name, description: list.description }, {}, 200)
  })
  app.post('/console/lists/:id/edit', async (c) => {
    const list = await listOf(c)
    if (list === null) return notFound(c)
    const values = formOf(await c.req.parseBody())
    const saved = await attempt(() => updateListAs(c.var.deps, c.var.user, list.id, values))
    if (!saved.ok && saved.error.code === 'forbidden') return forbidden(c)
    if (!saved.ok) return editForm(c, list, values, messagesByField(saved.error, 'name'), 422)
    return c.redirect(`/console/lists/${list.id}?done=Saved.`, 303)
  })
  app.get('/console/lists/:id/delete', async (c) => {
    const list = await listOf(c)
    if (list === null) return notFound(c)
    if (!mayManage(c, list)) return forbidden(c)
    return c.html(
      <Page title="Delete list" assets={c.var.assets} user={c.var.user} section="lists">
        <h1>{`Delete the list ${list.name}?`}</h1>
        <p>{`Its ${list.members} member${list.members === 1 ? '' : 's'} stay in the book; only the list goes.`}</p>
        <form method="post" action={`/console/lists/${list.id}/delete`}>
          <button type="submit" class="danger">Delete list</button> <a href={`/console/lists/${list.id}`}>Cancel</a>
        </form>
      </Page>)
  })
  app.post('/console/lists/:id/delete', async (c) => {
    const list = await listOf(c)
    if (list === null) return notFound(c)
    const deleted = await attempt(() => deleteListAs(c.var.deps, c.var.user, list.id))
    if (!deleted.ok) return deleted.error.code === 'forbidden' ? forbidden(c) : notFound(c)
    return c.redirect(`/console/lists?done=${encodeURIComponent(`List "${list.name}" deleted.`)}`, 303)
  })
  return app
}
