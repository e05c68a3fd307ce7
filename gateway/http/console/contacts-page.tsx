/** @jsxImportSource hono/jsx */
import type { Contact } from '../../../domain/contact.ts'
import { countryName } from '../../../domain/country.ts'
import type { CustomFieldDefinition } from '../../../domain/custom-fields.ts'
import type { LabelName } from '../../actions/labels.ts'
import { formatMobileForReading } from '../../../domain/phone.ts'
import type { User } from '../../../storage/users.ts'
import type { ContactListPage } from '../../actions/contact-list.ts'
import type { AssetPaths } from './assets.ts'
import { CountryList, PREFERENCE_LABELS } from './contact-form.tsx'
import { LabelChips } from './labels-ui.tsx'
import { Page, userName } from './layout.tsx'
import { filterParams, listUrl, PAGE_SIZES, SORTS, type ListQuery } from './list-query.ts'

export type ContactsView = {
  user: User
  assets: AssetPaths
  query: ListQuery
  page: ContactListPage
  /** Null: the count is fetched after the page (counting a big share of the book costs more than the page). */
  count: { count: number; exact: boolean } | null
  users: User[]
  labels: LabelName[]
  lists: { id: string; name: string }[]
  fields: CustomFieldDefinition[]
  notice?: string | undefined
}

const SOURCES = [['', 'Any source'], ['manual', 'Typed in'], ['import', 'Imported'], ['incoming', 'Wrote to us'], ['crm', 'CRM']] as const
const CHANNEL_OPTIONS = [['', 'Any channel'], ['whatsapp', 'WhatsApp'], ['instagram', 'Instagram'], ['messenger', 'Messenger'], ['hubspot', 'HubSpot'], ['zoho', 'Zoho']] as const

/** A filter select; `manual` ones wait for "Apply" or Enter (a field without its value filters nothing yet). */
function Select(p: { name: string; label: string; value: string | undefined; options: readonly (readonly [string, string])[]; manual?: boolean }) {
  return (
    <div>
      <label for={`filter-${p.name}`}>{p.label}</label>
      <select id={`filter-${p.name}`} name={p.name} class={p.manual === true ? undefined : 'filter'}>
        {p.options.map(([value, label]) => <option value={value} selected={(p.value ?? '') === value}>{label}</option>)}
      </select>
    </div>
  )
}

function ownerName(users: User[], id: string | null): string {
  if (id === null) return 'Nobody'
  return userName(users, id)
}

function Row(p: { contact: Contact; users: User[]; labels: LabelName[] }) {
  const c = p.contact
  const channels = [...new Set(c.identities.map((i) => i.channel))]
  return (
    <tr>
      <td class="pick"><input type="checkbox" name="ids" value={c.id} form="bulk" aria-label={`Select ${c.name ?? c.mobile ?? c.email ?? 'contact'}`} /></td>
      <td class="card-title"><a href={`/console/contacts/${c.id}`}>{c.name ?? '(no name)'}</a></td>
      <td>{c.mobile === null ? '' : <a href={`tel:${c.mobile}`}>{formatMobileForReading(c.mobile)}</a>}</td>
      <td>{c.email ?? ''}</td>
      <td data-label="Country">{c.address.country === undefined ? '' : <abbr title={countryName(c.address.country)}>{countryName(c.address.country)}</abbr>}</td>
      <td data-label="Owner">{ownerName(p.users, c.ownerId)}</td>
      <td data-label="Preference">{c.preference === 'proactive' ? 'Proactive' : 'Reactive'}</td>
      <td class="whole"><LabelChips names={c.labels} labels={p.labels} /></td>
      <td class="optional">{channels.join(', ')}</td>
    </tr>
  )
}

export function countText(count: { count: number; exact: boolean }): string {
  return `${count.exact ? '' : 'about '}${count.count.toLocaleString('en')} contact${count.count === 1 ? '' : 's'}`
}

export function MatchCount(p: { count: { count: number; exact: boolean } }) {
  return <p id="match-count">{`${countText(p.count)} match`}</p>
}

/** The part htmx swaps as people type: the count, the table and the pager. */
export function Results(v: ContactsView) {
  const { query, page, count } = v
  const keep = { ...filterParams(query.filters), sort: query.sort === 'newest' ? undefined : query.sort, size: query.size === PAGE_SIZES[0] ? undefined : String(query.size) }
  const countUrl = listUrl('/console/contacts/count', filterParams(query.filters))
  return (
    <section id="results" aria-live="polite">
      <div class="toolbar">
        {count === null
          ? <p id="match-count" hx-get={countUrl} hx-trigger="load" hx-swap="outerHTML"><a href={countUrl}>How many match?</a></p>
          : <MatchCount count={count} />}
        {Object.entries(filterParams(query.filters)).map(([name, value]) => <input type="hidden" form="bulk" name={`filter.${name}`} value={value} />)}
        <div>
          <input type="checkbox" id="bulk-all" name="all" value="1" form="bulk" />
          <label for="bulk-all" class="inline-label">Select all matching</label>
        </div>
        <div class="actions"><a href={listUrl('/console/contacts/export.csv', filterParams(query.filters))}>Export</a></div>
      </div>
      <div class="table-wrap cards">
        <table>
          <thead>
            <tr>
              <th scope="col" aria-label="Select"></th>
              <th scope="col">Name</th>
              <th scope="col">Mobile</th>
              <th scope="col">Email</th>
              <th scope="col">Country</th>
              <th scope="col">Owner</th>
              <th scope="col">Preference</th>
              <th scope="col">Labels</th>
              <th scope="col" class="optional">Channels</th>
            </tr>
          </thead>
          <tbody>
            {page.items.length === 0 ? <tr><td colspan={9}>No contacts match.</td></tr> : page.items.map((c) => <Row contact={c} users={v.users} labels={v.labels} />)}
          </tbody>
        </table>
      </div>
      <nav class="pager" aria-label="Pages">
        {page.prevCursor !== null && <a href={listUrl('/console/contacts', { ...keep, cursor: page.prevCursor, dir: 'prev' })} rel="prev">Previous</a>}
        {page.nextCursor !== null && <a href={listUrl('/console/contacts', { ...keep, cursor: page.nextCursor })} rel="next">Next</a>}
      </nav>
    </section>
  )
}

export function ContactsPage(v: ContactsView) {
  const f = v.query.filters
  const ownerOptions: [string, string][] = [['', 'Anyone'], ['none', 'Nobody'], ...v.users.map((u): [string, string] => [u.id, u.name])]
  const assignable = v.user.role === 'admin' ? v.users.filter((u) => u.active) : [v.user]
  const [field] = Object.entries(f.fields ?? {})
  return (
    <Page title="Contacts" assets={v.assets} user={v.user} section="contacts" labelColors>
      <div class="toolbar">
        <h1>Contacts</h1>
        <div class="actions">
          <a href="/console/contacts/new" class="button">New contact</a>
          <a href="/console/imports/new">Import</a>
        </div>
      </div>
      {v.notice && <p class="notice" role="status">{v.notice}</p>}
      <form method="get" action="/console/contacts" class="toolbar" role="search" id="filters"
        hx-get="/console/contacts" hx-target="#results" hx-select="#results" hx-swap="outerHTML" hx-push-url="true"
        hx-trigger="input changed delay:250ms from:#search, change from:.filter, submit" hx-sync="this:replace">
        <div>
          <label for="search">Search</label>
          <input id="search" type="search" name="q" value={f.q ?? ''} placeholder="Name, phone, email or company" autocomplete="off" />
        </div>
        <Select name="owner" label="Owner" value={f.owner} options={ownerOptions} />
        <Select name="source" label="Source" value={f.source} options={SOURCES} />
        <Select name="preference" label="Preference" value={f.preference} options={[['', 'Any preference'], ['proactive', 'Proactive'], ['reactive', 'Reactive']]} />
        <div>
          <label for="filter-country">Country</label>
          <input id="filter-country" name="country" list="countries" value={f.country ?? ''} class="filter" />
        </div>
        <Select name="channel" label="Channel" value={f.channel} options={CHANNEL_OPTIONS} />
        <Select name="issue" label="Issue" value={f.issue} options={[['', 'Any'], ['missing_country_code', 'Number without country code']]} />
        <Select name="label" label="Label" value={typeof f.label === 'string' ? f.label : undefined} options={[['', 'Any label'], ...v.labels.map((l): [string, string] => [l.name, l.name])]} />
        {v.fields.length > 0 && (
          <>
            <Select name="field" label="Field" manual value={field?.[0]} options={[['', 'Any field'], ...v.fields.map((d): [string, string] => [d.key, d.label])]} />
            <div>
              <label for="filter-value">Field value</label>
              <input id="filter-value" name="value" value={field?.[1] ?? ''} aria-describedby="filter-value-hint" />
              <span id="filter-value-hint" class="visually-hidden">The field equals this; a date as YYYY-MM-DD, yes or no for a yes/no field.</span>
            </div>
          </>
        )}
        <Select name="sort" label="Sort" value={v.query.sort} options={SORTS.map((s) => [s.value, s.label] as const)} />
        <Select name="size" label="Page size" value={String(v.query.size)} options={PAGE_SIZES.map((s) => [String(s), String(s)] as const)} />
        <button type="submit" class="secondary">Apply</button>
      </form>
      <CountryList />
      <form method="post" action="/console/contacts/bulk" id="bulk" class="bulk" aria-label="Bulk actions">
        <div>
          <label for="bulk-owner">Assign to</label>
          <select id="bulk-owner" name="ownerId">
            {v.user.role === 'admin' && <option value="">Nobody</option>}
            {assignable.map((u) => <option value={u.id}>{u.name}</option>)}
          </select>
        </div>
        <button type="submit" name="action" value="owner">Assign owner</button>
        <div>
          <label for="bulk-preference">Set to</label>
          <select id="bulk-preference" name="preference">
            {(['reactive', 'proactive'] as const).map((p) => <option value={p}>{PREFERENCE_LABELS[p]}</option>)}
          </select>
        </div>
        <button type="submit" name="action" value="preference">Set preference</button>
        <div>
          <label for="bulk-label">Label name</label>
          <input id="bulk-label" name="label" list="label-names" autocomplete="off" />
          <datalist id="label-names">{v.labels.map((l) => <option value={l.name}></option>)}</datalist>
        </div>
        <button type="submit" name="action" value="add_label">Add label</button>
        <button type="submit" name="action" value="remove_label" class="secondary">Remove label</button>
        <div>
          <label for="bulk-list">List</label>
          <select id="bulk-list" name="listId">
            {v.lists.length === 0 ? <option value="">No lists yet</option> : v.lists.map((l) => <option value={l.id}>{l.name}</option>)}
          </select>
        </div>
        <button type="submit" name="action" value="add_to_list">Add to list</button>
        <button type="submit" name="action" value="delete" class="danger">Delete</button>
      </form>
      <Results {...v} />
    </Page>
  )
}
