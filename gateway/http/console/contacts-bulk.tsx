/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { canonicalId } from '../../../domain/ids.ts'
import { bulkEditContacts, type BulkEdits } from '../../actions/contact-bulk.ts'
import { bulkChangeContacts, type BulkChange, type BulkTarget } from '../../actions/contact-changes.ts'
import { countContacts, type ContactFilters } from '../../actions/contact-list.ts'
import { labelNamesOf } from './contact-form.tsx'
import { usableFilters } from './contact-filters.ts'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { filterParams, parseListQuery } from './list-query.ts'
import { attempt, firstReason } from './refusals.ts'

type C = Context<ConsoleEnv>

function plural(n: number): string {
  return `${n} contact${n === 1 ? '' : 's'}`
}

const BULK_DONE: Record<BulkChange['kind'], string> = { owner: 'Owner assigned to', preference: 'Preference set for', delete: 'Deleted' }

type Body = Record<string, string | File | (string | File)[]>

/** The bulk form's target: the picked rows, or with "Select all matching" every contact the filters match. */
async function bulkTarget(c: C, body: Body): Promise<{ filters: ContactFilters; target: BulkTarget }> {
  const filters = parseListQuery(Object.fromEntries(Object.entries(body).filter(([k, v]) => k.startsWith('filter.') && typeof v === 'string').map(([k, v]) => [k.slice(7), v as string]))).filters
  if (body.all === '1') return { filters, target: { filters: (await usableFilters(c.var.deps, filters)).filters } }
  const ids = [body.ids].flat().filter((v): v is string => typeof v === 'string').map(canonicalId).filter((v): v is string => v !== null)
  return { filters, target: { ids } }
}

const done = (c: C, message: string) => c.redirect(`/console/contacts?done=${encodeURIComponent(message)}`, 303)

/** "Add label", "Remove label" and "Add to list": the API's bulk edit, for picked rows or all matching. */
async function organize(c: C, body: Body, action: 'add_label' | 'remove_label' | 'add_to_list') {
  const { target } = await bulkTarget(c, body)
  if ('ids' in target && target.ids.length === 0) return done(c, 'Select the contacts first.')
  const names = labelNamesOf(typeof body.label === 'string' ? body.label : '')
  const label = names.map((n) => `"${n}"`).join(', ')
  const listId = typeof body.listId === 'string' ? body.listId : ''
  if (action !== 'add_to_list' && label === '') return done(c, 'Write the name of the label first.')
  if (action === 'add_to_list' && listId === '') return done(c, 'Make a list first (Lists, New list).')
  const edits: BulkEdits = action === 'add_label' ? { addLabels: names } : action === 'remove_label' ? { removeLabels: names } : { addToList: listId }
  const outcome = await attempt(() => bulkEditContacts(c.var.deps, c.var.user, target, edits, 'console'))
  if (!outcome.ok) return done(c, action === 'add_to_list' ? 'That list does not exist any more.' : `The label name ${firstReason(outcome.error)}.`)
  const { matched, changed } = outcome.value
  const what = action === 'add_label' ? `Label${names.length > 1 ? 's' : ''} ${label} added to ${plural(changed)}.`
    : action === 'remove_label' ? `Label${names.length > 1 ? 's' : ''} ${label} removed from ${plural(changed)}.`
    : `${plural(changed)} added to the list.`
  const why = action === 'add_label' ? 'they had it already, or are not yours to change'
    : action === 'remove_label' ? 'they did not have it, or are not yours to change'
    : 'they were in it already, or are not yours to change'
  return done(c, matched > changed ? `${what} ${matched - changed} left as they were: ${why}.` : what)
}

/** The contacts table's bulk actions: picked rows, or every contact matching with "Select all matching". */
export function contactBulkPages() {
  const app = new Hono<ConsoleEnv>()
  app.post('/console/contacts/bulk', async (c) => {
    const body = await c.req.parseBody({ all: true })
    const action = body.action
    if (action === 'add_label' || action === 'remove_label' || action === 'add_to_list') return organize(c, body, action)
    const change: BulkChange | null =
      action === 'owner' ? { kind: 'owner', ownerId: typeof body.ownerId === 'string' && body.ownerId !== '' ? body.ownerId : null }
      : action === 'preference' ? { kind: 'preference', preference: body.preference === 'proactive' ? 'proactive' : 'reactive' }
      : action === 'delete' ? { kind: 'delete' } : null
    if (change === null) return c.redirect('/console/contacts', 303)
    const { filters, target } = await bulkTarget(c, body)
    const ids = 'ids' in target ? target.ids : []
    const everything = !('ids' in target)
    if (!everything && ids.length === 0) return c.redirect(`/console/contacts?done=${encodeURIComponent('Select the contacts first.')}`, 303)
    if (change.kind === 'delete' && body.confirmed !== '1') {
      const many = 'filters' in target ? (await countContacts(c.var.deps, target.filters)).count : ids.length
      return c.html(
        <Page title="Delete contacts" assets={c.var.assets} user={c.var.user} section="contacts">
          <h1>{`Delete ${many} contact${many === 1 ? '' : 's'}?`}</h1>
          <p>They leave the book and their mobiles and emails are free again. Contacts you may not change are left as they are.</p>
          <form method="post" action="/console/contacts/bulk">
            <input type="hidden" name="action" value="delete" />
            <input type="hidden" name="confirmed" value="1" />
            {everything && <input type="hidden" name="all" value="1" />}
            {Object.entries(filterParams(filters)).map(([k, v]) => <input type="hidden" name={`filter.${k}`} value={v} />)}
            {ids.map((id) => <input type="hidden" name="ids" value={id} />)}
            <button type="submit" class="danger">{`Delete ${many} contact${many === 1 ? '' : 's'}`}</button> <a href="/console/contacts">Cancel</a>
          </form>
        </Page>)
    }
    const outcome = await bulkChangeContacts(c.var.deps, c.var.user, target, change)
    const message = outcome.ok
      ? `${BULK_DONE[change.kind]} ${outcome.changed} contact${outcome.changed === 1 ? '' : 's'}.${outcome.skipped > 0 ? ` ${outcome.skipped} left as they were: not yours to change.` : ''}`
      : outcome.reason === 'unknown_owner' ? 'That owner is not an active user.' : 'Agents can only assign contacts to themselves.'
    return done(c, message)
  })
  return app
}
