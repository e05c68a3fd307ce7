/** @jsxImportSource hono/jsx */
import type { DenyReason } from '../../../domain/preference.ts'
import type { Reach } from '../../../domain/reach.ts'
import { formatMobileForReading } from '../../../domain/phone.ts'
import type { User } from '../../../storage/users.ts'
import type { ContactListPage } from '../../actions/contact-list.ts'
import type { LabelName } from '../../actions/labels.ts'
import type { ContactList } from '../../actions/lists.ts'
import type { AssetPaths } from './assets.ts'
import { LabelChips } from './labels-ui.tsx'
import { Field, Page, userName } from './layout.tsx'
import { listUrl } from './list-query.ts'

/** Why members may not get a template now, one sentence a reason ("they" for one member or many). */
const WHY_NOT: Record<DenyReason, string> = {
  contact_inactive: 'They were deleted or merged into another contact.',
  no_channel_identity: 'They have neither a WhatsApp id nor a mobile number.',
  missing_country_code: 'Their mobile has no valid country code, so WhatsApp cannot reach it.',
  marketing_opted_out: 'They asked not to receive marketing messages.',
  reactive_outside_window: 'They are reactive and have not written to us in the last 24 hours.',
  template_required: 'Outside the 24-hour window WhatsApp delivers only templates.',
  outside_window: 'They have not written to us in the last 24 hours.',
}

const members = (n: number) => `${n} member${n === 1 ? '' : 's'}`

export function ListsPage(p: { user: User; assets: AssetPaths; lists: ContactList[]; users: User[]; notice?: string | undefined }) {
  return (
    <Page title="Lists" assets={p.assets} user={p.user} section="lists">
      <div class="toolbar">
        <h1>Lists</h1>
        <div class="actions"><form method="get" action="/console/lists/new" class="inline"><button type="submit">New list</button></form></div>
      </div>
      {p.notice && <p class="notice" role="status">{p.notice}</p>}
      {p.lists.length === 0 ? <p>No lists yet. A list is a group of contacts for a broadcast or a campaign.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Name</th><th scope="col">Members</th><th scope="col" class="optional">Description</th><th scope="col" class="optional">Owner</th></tr></thead>
            <tbody>
              {p.lists.map((l) => (
                <tr>
                  <td><a href={`/console/lists/${l.id}`}>{l.name}</a></td>
                  <td>{l.members.toLocaleString('en')}</td>
                  <td class="optional">{l.description}</td>
                  <td class="optional">{l.ownerId === null ? 'Nobody' : userName(p.users, l.ownerId)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Page>
  )
}

export type ListFormValues = { name: string; description: string }

export function ListFormPage(p: { user: User; assets: AssetPaths; title: string; action: string; submit: string; values: ListFormValues; errors: Record<string, string>; cancel: string }) {
  const id = 'f-description'
  const error = p.errors.description
  return (
    <Page title={p.title} assets={p.assets} user={p.user} section="lists">
      <h1>{p.title}</h1>
      <form method="post" action={p.action} novalidate class="narrow">
        {Object.keys(p.errors).length > 0 && <p class="notice bad" role="alert">Nothing was saved: fix the fields marked below.</p>}
        <Field name="name" label="Name" value={p.values.name} error={p.errors.name} required />
        <div class="field">
          <label for={id}>Description</label>
          <textarea id={id} name="description" rows={3} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>{p.values.description}</textarea>
          {error && <span id={`${id}-error`} class="error">{error}</span>}
        </div>
        <button type="submit">{p.submit}</button> <a href={p.cancel}>Cancel</a>
      </form>
    </Page>
  )
}

function ReachSection(p: { reach: Reach }) {
  const denied = Object.entries(p.reach.denied).filter((e): e is [DenyReason, number] => typeof e[1] === 'number' && e[1] > 0)
  return (
    <section aria-labelledby="h-reach">
      <h2 id="h-reach">May we send a template to them now?</h2>
      <p><strong>{`${p.reach.allowed.toLocaleString('en')} of ${members(p.reach.members)}`}</strong> may receive a WhatsApp template now.</p>
      {denied.length > 0 && (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Why not the others</caption>
            <thead><tr><th scope="col">Why not</th><th scope="col">Members</th></tr></thead>
            <tbody>
              {denied.map(([reason, count]) => (
                <tr><td>{WHY_NOT[reason]}</td><td>{count.toLocaleString('en')}</td></tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

export type ListView = {
  user: User; assets: AssetPaths; list: ContactList; page: ContactListPage; q: string; reach: Reach
  users: User[]; labels: LabelName[]; mayManage: boolean; notice?: string | undefined
}

export function ListPage(v: ListView) {
  const l = v.list
  const base = `/console/lists/${l.id}`
  return (
    <Page title={l.name} assets={v.assets} user={v.user} section="lists" labelColors>
      <div class="toolbar">
        <h1>{l.name}</h1>
        <div class="actions">
          <a href={`${base}/export.csv`}>Export</a>
          {v.mayManage && (
            <>
              <form method="get" action={`${base}/edit`} class="inline"><button type="submit" class="secondary">Rename</button></form>
              <form method="get" action={`${base}/delete`} class="inline"><button type="submit" class="danger">Delete list</button></form>
            </>
          )}
        </div>
      </div>
      {v.notice && <p class="notice" role="status">{v.notice}</p>}
      {l.description !== '' && <p>{l.description}</p>}
      <p>{`${members(l.members)} · made by ${l.ownerId === null ? 'nobody' : userName(v.users, l.ownerId)}`}</p>
      <ReachSection reach={v.reach} />
      <section aria-labelledby="h-members">
        <h2 id="h-members">Members</h2>
        <form method="get" action={base} class="toolbar" role="search">
          <div>
            <label for="search">Search</label>
            <input id="search" type="search" name="q" value={v.q} placeholder="Name, phone, email or company" autocomplete="off" />
          </div>
          <button type="submit" class="secondary">Search</button>
        </form>
        <form method="post" action={`${base}/remove`} id="members" aria-label="Members">
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col" aria-label="Select"></th><th scope="col">Name</th><th scope="col">Mobile</th>
                  <th scope="col" class="optional">Email</th><th scope="col">Labels</th>
                </tr>
              </thead>
              <tbody>
                {v.page.items.length === 0 ? <tr><td colspan={5}>{v.q === '' ? 'No members yet: add contacts from Contacts with "Add to list".' : 'No member matches.'}</td></tr> : v.page.items.map((c) => (
                  <tr>
                    <td><input type="checkbox" name="ids" value={c.id} aria-label={`Select ${c.name ?? c.mobile ?? c.email ?? 'contact'}`} /></td>
                    <td><a href={`/console/contacts/${c.id}`}>{c.name ?? '(no name)'}</a></td>
                    <td>{c.mobile === null ? '' : formatMobileForReading(c.mobile)}</td>
                    <td class="optional">{c.email ?? ''}</td>
                    <td><LabelChips names={c.labels} labels={v.labels} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {v.page.items.length > 0 && <p><button type="submit" class="secondary">Remove from list</button></p>}
        </form>
        <nav class="pager" aria-label="Pages">
          {v.page.prevCursor !== null && <a href={listUrl(base, { q: v.q, cursor: v.page.prevCursor, dir: 'prev' })} rel="prev">Previous</a>}
          {v.page.nextCursor !== null && <a href={listUrl(base, { q: v.q, cursor: v.page.nextCursor })} rel="next">Next</a>}
        </nav>
      </section>
    </Page>
  )
}
