import type { Channel, Contact, ContactIssueCode, ContactSource, Preference } from '../domain/contact.ts'
import type { ListKey, ListSort } from '../domain/contact-list.ts'
import type { SearchQuery } from '../domain/search.ts'
import { byFacets, keyColumns, phasedSegment, segmentRows, segments, STEP_LIMITS, type Segment, type StepLimits } from './contact-filter-plan.ts'
import { selectContacts, toContact, type ContactRow } from './contacts.ts'
import { facetFrequencies, UNKNOWN_FREQUENCIES, type FacetFrequencies } from './facet-frequencies.ts'
import type { Fragment, Queryable } from './sql.ts'
import type { CustomValues } from '../domain/custom-fields.ts'

export type ContactFilter = {
  query: SearchQuery
  /** null: contacts nobody owns. */
  ownerId?: string | null
  source?: ContactSource
  preference?: Preference
  country?: string
  channel?: Channel
  issue?: ContactIssueCode
  /** Contacts that carry every one of these labels. */
  labelIds?: string[]
  listId?: string
  /** Custom values each contact must have, as stored (typed JSON). */
  fieldEquals?: CustomValues
}

/** `steps` and `frequencies` are the planner's inputs, given by tests to reach each path on a small book. */
export type ListRequest = {
  filter: ContactFilter; sort: ListSort; limit: number; after: ListKey | null; direction: 'next' | 'prev'; steps?: StepLimits; frequencies?: FacetFrequencies
}
/** `items` in display order, each with its key; `more` says whether rows lie beyond the page in its direction. */
export type ListPage = { items: { contact: Contact; key: ListKey }[]; more: boolean }

type KeyRow = { k_id: string; k_name: string | null; k_at: string | null }

const byKey = (query: SearchQuery) => query.kind === 'phone' || query.kind === 'email'

/**
 * Phone and email lookups match a handful of rows, so those rows are collected first through their indexes
 * ("materialized") and the page is sorted from them: left to itself the planner walks a whole sort index looking
 * for them (a second per query at 1M contacts).
 */
function hitsCte(sql: Queryable, query: SearchQuery): Fragment {
  if (query.kind === 'phone') {
    return sql`with hits as materialized (select * from contacts where active and (mobile_digits_rev like ${`${[...query.digits].reverse().join('')}%`}
      ${query.e164 === null ? sql`` : sql`or (other_mobiles <> '{}' and other_mobiles @> ${[query.e164]}::text[])`}))`
  }
  if (query.kind === 'email') {
    return sql`with hits as materialized (select * from contacts where active and (lower(email) = ${query.email}
      or (other_emails <> '{}' and other_emails @> ${[query.email]}::text[])))`
  }
  return sql``
}

/** The contacts a query reads, as `c`: the hits of a phone or email lookup, else the table. */
function source(sql: Queryable, query: SearchQuery): Fragment {
  return byKey(query) ? sql`hits c` : sql`contacts c`
}

/**
 * The filter as `and …` conditions on `contacts c`. Text terms fold accents and case as search_text does. The
 * custom fields and issues are written as their partial indexes' predicates ask (`<> '{}'`), so that one of them
 * can find the few contacts that have any. `throughFacets` writes the filter for rows the facets index finds
 * (byFacets): without the columns, fields and issues the facets hold, which the index answers exactly (with them
 * the planner also read a whole country's index to intersect it with the facets' few matches, 17 ms, and a field's
 * partial index looked cheaper than it is: 100,000 contacts with the field read to keep 5,000 that have a chat,
 * 180 ms, where the facets index reads the 5,000, 13 ms).
 */
function conditions(sql: Queryable, f: ContactFilter, throughFacets = false): Fragment {
  const parts: Fragment[] = []
  const q = f.query
  if (q.kind === 'text') for (const term of q.terms) parts.push(sql`c.search_text like ('%' || search_fold(${escapeLike(term)}) || '%')`)
  if (!throughFacets) {
    if (f.ownerId === null) parts.push(sql`c.owner_id is null`)
    else if (f.ownerId !== undefined) parts.push(sql`c.owner_id = ${f.ownerId}`)
    if (f.source !== undefined) parts.push(sql`c.source = ${f.source}`)
    if (f.preference !== undefined) parts.push(sql`c.preference = ${f.preference}`)
    if (f.country !== undefined) parts.push(sql`c.country = ${f.country}`)
    if (f.channel !== undefined) parts.push(sql`c.channels @> ${[f.channel]}::text[]`)
    if (f.labelIds !== undefined && f.labelIds.length > 0) parts.push(sql`c.label_ids @> ${f.labelIds}::uuid[]`)
  }
  if (f.listId !== undefined) parts.push(sql`exists (select 1 from list_members m where m.list_id = ${f.listId} and m.contact_id = c.id)`)
  if (!throughFacets) {
    if (f.issue !== undefined) parts.push(sql`c.issues <> '[]' and c.issues @> ${sql.json([{ code: f.issue }])}`)
    if (f.fieldEquals !== undefined) parts.push(sql`c.fields <> '{}' and c.fields @> ${sql.json(f.fieldEquals)}`)
  }
  return parts.reduce((acc, part) => sql`${acc} and ${part}`, sql``)
}

/** The filter as a page collects its matches: through the facets where they can find them (byFacets), else as written. */
function collecting(sql: Queryable, f: ContactFilter, segment?: Segment, frequencies?: FacetFrequencies): Fragment {
  const facets = byKey(f.query) ? null : byFacets(sql, f, segment, frequencies)
  if (facets === null) return conditions(sql, f)
  return sql`${conditions(sql, f, true)} ${facets.index} ${conditions(sql, { query: { kind: 'all' }, ...facets.rest })}`
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (ch) => `\\${ch}`)
}

/** Whether a filter narrows the book beyond a search (which keeps the plain walk its statistics were tuned for). */
function narrows(f: ContactFilter): boolean {
  return f.ownerId !== undefined || f.source !== undefined || f.preference !== undefined || f.country !== undefined || f.channel !== undefined ||
    f.issue !== undefined || (f.labelIds?.length ?? 0) > 0 || f.listId !== undefined || f.fieldEquals !== undefined
}

/** Pages take at most this many rows (100 and one to see beyond); bigger batches (export, bulk) walk plainly. */
const PAGE_TAKE = 101
const isPhased = (r: ListRequest, take: number) => take <= PAGE_TAKE && !byKey(r.filter.query) && narrows(r.filter)

/**
 * The ids (with their sort keys) of one page, in walking order: one statement, each segment along its index. A
 * filtered page of a page's size walks each segment in steps (phasedSegment) that keep rare filters fast.
 */
function pageKeys(sql: Queryable, r: ListRequest, take: number, phased: boolean, frequencies: FacetFrequencies): Fragment {
  const back = r.direction === 'prev'
  const filter = conditions(sql, r.filter)
  const from = source(sql, r.filter.query)
  const parts = segments(sql, r.sort, r.after, back).map((s) => phased
    ? phasedSegment(sql, s, from, filter, collecting(sql, r.filter, s, frequencies), keyColumns(sql, r.sort, s), take, r.steps ?? STEP_LIMITS, r.filter.listId)
    : sql`(select ${keyColumns(sql, r.sort, s)} from ${segmentRows(sql, s, from)} where c.active ${filter} ${s.where} order by ${s.order} limit ${take})`)
  return parts.reduce((acc, part) => sql`${acc} union all ${part}`)
}

export async function listContactPage(sql: Queryable, r: ListRequest): Promise<ListPage> {
  const take = r.limit + 1
  const phased = isPhased(r, take)
  const frequencies = r.frequencies ?? (phased ? await facetFrequencies(sql) : UNKNOWN_FREQUENCIES)
  const read = (q: Queryable) => q<(ContactRow & KeyRow)[]>`
    ${hitsCte(q, r.filter.query)}
    ${byKey(r.filter.query) ? q`,` : q`with`}
    page as (select k.*, row_number() over () as ord from (${pageKeys(q, r, take, phased, frequencies)}) k limit ${take})
    select x.*, p.k_id, p.k_name, p.k_at from page p cross join lateral (${selectContacts(q)} where c.id = p.k_id) x
    order by p.ord`
  const rows = phased ? await withPagePlanning(sql, read) : await read(sql)
  const walked = rows.slice(0, r.limit).map((row) => ({ contact: toContact(row), key: toKey(r.sort, row) }))
  return { items: r.direction === 'prev' ? walked.reverse() : walked, more: rows.length > r.limit }
}

/**
 * A filtered page is planned as for a book in memory: a row read at random costs about what a row read in order
 * does (PostgreSQL's default says four times more, and then reads a million rows in order rather than the few
 * thousand a list or a channel names), no parallel workers (a page is a few milliseconds of work; workers only add
 * their start); JIT is off for the whole pool (storage/db.ts), which matters here too: a phased page's plan prices its
 * unused steps, which passes jit_above_cost, and compiling it took 40 ms of a 50 ms page. Measured on the 1M console book: the filter combinations' summed time
 * 12.1 s with the server's defaults, 7.2 s with these. set_config(…, true) lasts until the transaction ends; a
 * caller's own transaction keeps its settings.
 */
async function withPagePlanning<T>(sql: Queryable, read: (q: Queryable) => Promise<T>): Promise<T> {
  if (!('begin' in sql)) return read(sql)
  return sql.begin(async (tx) => {
    await tx`select set_config('random_page_cost', '1.1', true), set_config('max_parallel_workers_per_gather', '0', true)`
    return read(tx)
  }) as Promise<T>
}

function toKey(sort: ListSort, row: KeyRow): ListKey {
  if (sort === 'name') return { sort, name: row.k_name, id: row.k_id }
  if (sort === 'last_message') return { sort, at: row.k_at, id: row.k_id }
  return { sort, id: row.k_id }
}

/** Matching ids, newest first, after `afterId`: the keyset batches of bulk actions and counts. */
/** A subquery of the ids (and owners) of every active contact matching the filter, for set-based writes. */
export function matchingContacts(sql: Queryable, filter: ContactFilter): Fragment {
  return sql`(${hitsCte(sql, filter.query)} select c.id, c.owner_id from ${source(sql, filter.query)} where c.active ${conditions(sql, filter)})`
}

export async function matchingIds(sql: Queryable, filter: ContactFilter, limit: number, afterId: string | null): Promise<string[]> {
  const rows = await sql<{ id: string }[]>`
    ${hitsCte(sql, filter.query)}
    select c.id from ${source(sql, filter.query)} where c.active ${conditions(sql, filter)} ${afterId === null ? sql`` : sql`and c.id < ${afterId}`}
    order by c.id desc limit ${limit}`
  return rows.map((r) => r.id)
}

/**
 * How many match: counted exactly up to `cap`; where the planner expects more than that, its estimate is the
 * answer ("about"), since counting a large share of a million rows would cost every page view a scan.
 */
export async function countMatching(sql: Queryable, filter: ContactFilter, cap: number): Promise<{ count: number; exact: boolean }> {
  const where = sql`from ${source(sql, filter.query)} where c.active ${conditions(sql, filter)}`
  const [plan] = await sql<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }[]>`explain (format json) ${hitsCte(sql, filter.query)} select 1 ${where}`
  const estimate = Math.round(plan?.['QUERY PLAN'][0].Plan['Plan Rows'] ?? 0)
  if (estimate > cap) return { count: estimate, exact: false }
  // Counted through the facets as a page collects, so that a rare or empty combination reads only its matches.
  const count = (q: Queryable) => q<{ n: number }[]>`${hitsCte(q, filter.query)} select count(*)::int as n
    from (select 1 from ${source(q, filter.query)} where c.active ${collecting(q, filter)} limit ${cap + 1}) x`
  const [row] = narrows(filter) ? await withPagePlanning(sql, count) : await count(sql)
  const n = row?.n ?? 0
  return n <= cap ? { count: n, exact: true } : { count: Math.max(estimate, cap), exact: false }
}
