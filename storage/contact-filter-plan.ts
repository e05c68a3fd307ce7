import type { ListKey, ListSort } from '../domain/contact-list.ts'
import type { CustomValues } from '../domain/custom-fields.ts'
import { UNKNOWN_FREQUENCIES, type FacetFrequencies } from './facet-frequencies.ts'
import type { Fragment, Queryable } from './sql.ts'

/**
 * A stretch of the sort order walked along one index. `where` and `order` read `c` (contacts) or `ch` (chats, for
 * `chats`); `streamOrder` is `order` as read from the walked stream, whose sort key is a column of its own
 * (`sort_name`), so that PostgreSQL keeps the stream's order instead of sorting it; `keyOrder` is the order of
 * the key columns (`k_*`), for rows collected first and sorted after.
 */
export type Segment = { where: Fragment; order: Fragment; streamOrder: Fragment; keyOrder: Fragment; chats?: ChatBound; silent?: true; sequential?: MemberOrder }
/** The id order as a list's members give it (`m`, list_members): its bound on `m.contact_id`, and the order. */
type MemberOrder = { where: Fragment; order: Fragment }
/** A segment walked through the chats: `bound` is its `where` without the latest-chat test (the page's key only). */
type ChatBound = { bound: Fragment }

/**
 * The sort as segments walked in order, each along an index: for `name`, the named contacts and then the
 * unnamed ones (nulls last); for `last_message`, the contacts with a chat (each through its latest chat) and
 * then the others. `after` bounds the first segment it falls in and skips the ones before; `prev` walks back.
 */
export function segments(sql: Queryable, sort: ListSort, key: ListKey | null, back: boolean): Segment[] {
  const cmp = back ? sql`<` : sql`>`
  const dir = back ? sql`desc` : sql`asc`
  const rdir = back ? sql`asc` : sql`desc`
  const rcmp = back ? sql`>` : sql`<`
  const byId = { order: sql`c.id ${rdir}`, streamOrder: sql`c.id ${rdir}`, keyOrder: sql`k_id ${rdir}` }
  const idBound = (column: Fragment) => (key === null ? sql`` : sql`and ${column} ${rcmp} ${key.id}`)
  if (sort === 'newest') return [{ where: idBound(sql`c.id`), ...byId, sequential: { where: idBound(sql`m.contact_id`), order: sql`m.contact_id ${rdir}` } }]
  if (sort === 'name') {
    const after = key?.sort === 'name' ? key : null
    const byName = { order: sql`lower(c.name) ${dir}, c.id ${dir}`, streamOrder: sql`c.sort_name ${dir}, c.id ${dir}`, keyOrder: sql`k_name ${dir}, k_id ${dir}` }
    const named: Segment = {
      where: after === null || after.name === null ? sql`and lower(c.name) is not null` : sql`and lower(c.name) is not null and (lower(c.name), c.id) ${cmp} (${after.name}, ${after.id})`,
      ...byName,
    }
    const unnamed: Segment = {
      where: after !== null && after.name === null ? sql`and lower(c.name) is null and c.id ${cmp} ${after.id}` : sql`and lower(c.name) is null`,
      ...byName,
    }
    if (after === null) return back ? [unnamed, named] : [named, unnamed]
    return back ? (after.name === null ? [unnamed, named] : [named]) : after.name === null ? [unnamed] : [named, unnamed]
  }
  const after = key?.sort === 'last_message' ? key : null
  const latestChat = sql`not exists (select 1 from chats o where o.contact_id = ch.contact_id
                           and (o.last_message_at, o.id) > (ch.last_message_at, ch.id))`
  const byChat = sql`ch.last_message_at ${rdir}, ch.contact_id ${rdir}`
  const bound = after === null || after.at === null ? sql`` : sql`and (ch.last_message_at, ch.contact_id) ${rcmp} (${after.at}::timestamptz, ${after.id})`
  const chatted: Segment = {
    chats: { bound },
    where: sql`and ${latestChat} ${bound}`,
    order: byChat, streamOrder: byChat, keyOrder: sql`k_ts ${rdir}, k_id ${rdir}`,
  }
  const silent: Segment = {
    silent: true,
    where: sql`and not c.has_chat ${after !== null && after.at === null ? sql`and c.id ${rcmp} ${after.id}` : sql``}`,
    ...byId,
  }
  if (after === null) return back ? [silent, chatted] : [chatted, silent]
  return back ? (after.at === null ? [silent, chatted] : [chatted]) : after.at === null ? [silent] : [chatted, silent]
}

/** The rows a segment reads, as `c` (and `ch`, each contact's chats, for the segment walked through them). */
export function segmentRows(sql: Queryable, s: Segment, from: Fragment): Fragment {
  return s.chats !== undefined ? sql`chats ch join ${from} on c.id = ch.contact_id` : from
}

/** The key columns every segment gives (`k_ts`, the chat's time as a timestamp, only orders collected rows). */
export function keyColumns(sql: Queryable, sort: ListSort, segment: Segment): Fragment {
  const chatAt = segment.chats !== undefined ? sql`ch.last_message_at` : sql`null::timestamptz`
  const name = sort === 'name' ? sql`lower(c.name)` : sql`null::text`
  return sql`c.id as k_id, ${name} as k_name, ${sort === 'last_message' ? sql`${chatAt}::text` : sql`null::text`} as k_at, ${chatAt} as k_ts`
}

/**
 * `walk`: rows of the sort order a filtered page walks before it collects its matches instead, in id order (rows
 * lie in the table in about that order, so a walk reads few pages) and in the other orders (`walkSorted`: every
 * row another page, or a chat's lookups); `collect`: matches collected and sorted at most, a filter matching more
 * being walked along the sort order. In id order matches cluster (an import, a CRM sync), and collecting a cluster
 * reads few pages; in the other orders matches are spread evenly, so a filter that matches many is soon met by
 * walking, and collecting many would read a page per match. Measured on the 1M console book (bench/console.ts).
 * Tests shrink them to reach every step on a small book.
 */
export type StepLimits = { walk: number; walkSorted: number; collect: number; collectSorted: number }
export const STEP_LIMITS: StepLimits = { walk: 30_000, walkSorted: 4000, collect: 50_000, collectSorted: 3000 }

/**
 * One segment of a filtered page, in three steps of which the first that can answer does: (1) the segment's first
 * `walk` rows in sort order, filtered: enough for any filter that is not rare among recent contacts; (2) the
 * filter's matches collected through whichever indexes the planner picks (a materialized CTE is planned for all
 * its rows, not for the first few) and sorted, when there are at most `collect` of them; (3) otherwise the
 * filter walked along the sort order as the planner chooses. Left to itself the planner walks the sort order for
 * any filter it expects to match often, and a filter whose matches are old, or that matches nothing because its
 * fields are correlated, has it walk the whole book (4 s on 1M contacts); with these steps it never walks more
 * than `walk` rows unless the filter matches more than `collect` contacts.
 */
export function phasedSegment(sql: Queryable, s: Segment, from: Fragment, filter: Fragment, collectFilter: Fragment, keys: Fragment, take: number, limits: StepLimits, listId?: string): Fragment {
  const stream = walkedRows(sql, s, from, limits, listId)
  const cap = s.sequential !== undefined ? limits.collect : limits.collectSorted
  const all = sql`from ${segmentRows(sql, s, from)} where c.active ${filter} ${s.where}`
  // A list no longer than a walk is walked whole, and what the walk found is every match: collecting them again
  // cost a list of 13,000 that a filter leaves none of 17 ms more.
  const exhausted = s.sequential !== undefined && listId !== undefined
    ? sql`or (select count(*) from (select 1 from list_members m where m.list_id = ${listId} ${s.sequential.where} limit ${limits.walk + 1}) l) <= ${limits.walk}`
    : sql``
  return sql`(with walked as materialized (select ${keys} from ${stream} ${filter} order by ${s.streamOrder} limit ${take}),
      found as materialized (select ${keys} from ${collectedRows(sql, s, from, collectFilter)}),
      walk as (select count(*) = ${take} ${exhausted} as enough from walked),
      collect as (select count(*) <= ${cap} as few from (select 1 from found limit ${cap + 1}) f)
    select * from walked where (select enough from walk)
    union all
    (select * from found where not (select enough from walk) and (select few from collect) order by ${s.keyOrder} limit ${take})
    union all
    (select ${keys} ${all} and not (select enough from walk) and not (select few from collect) order by ${s.order} limit ${take}))`
}

/**
 * The rows a segment's walk reads, in its order, as `c` filtered by what follows (`where …`). A list's members
 * in id order are walked through its own index: walking the book found one of a 13,000-member list's contacts
 * in its newest 30,000 (40 ms), where the list's newest members are its first entries.
 */
function walkedRows(sql: Queryable, s: Segment, from: Fragment, limits: StepLimits, listId: string | undefined): Fragment {
  if (s.chats !== undefined) {
    return sql`(select ch.* from chats ch where true ${s.where} order by ${s.order} limit ${limits.walkSorted}) ch join ${from} on c.id = ch.contact_id where c.active`
  }
  if (s.sequential !== undefined && listId !== undefined) {
    return sql`(select c.*, lower(c.name) as sort_name from list_members m join ${from} on c.id = m.contact_id
      where m.list_id = ${listId} ${s.sequential.where} and c.active order by ${s.sequential.order} limit ${limits.walk}) c where true`
  }
  return sql`(select c.*, lower(c.name) as sort_name from ${from} where c.active ${s.where} order by ${s.order} limit ${s.sequential !== undefined ? limits.walk : limits.walkSorted}) c where true`
}

/**
 * The matches a segment collects, as `from … where …`. The chat segment's are found from the contacts, each with
 * its latest chat looked up: joined the other way the planner, expecting many matches, hashed them against every
 * chat (5,000 contacts with a newsletter field and a chat: 47 ms reading 186,000 chats; looked up, 3,000 at most).
 */
function collectedRows(sql: Queryable, s: Segment, from: Fragment, collectFilter: Fragment): Fragment {
  if (s.chats === undefined) return sql`${from} where c.active ${collectFilter} ${s.where}`
  return sql`${from} cross join lateral (select ch.* from chats ch where ch.contact_id = c.id
      order by ch.last_message_at desc, ch.id desc limit 1) ch
    where c.active and c.has_chat ${collectFilter} ${s.chats.bound}`
}

/**
 * The filter's own columns as facets (`c:DE`, `o:<owner id>` or `o:` for nobody, `p:…`, `s:…`, the channel's name,
 * the label ids, `h:1`/`h:0` for a segment of contacts with or without a chat, and `f:<key>=<value>` and `i:<code>`
 * for custom fields and an issue), which the contacts_facets index (migrations 076, 077, 079) holds for every
 * contact: a page collecting the matches of two or more of them (the fields counting as one) finds exactly those
 * contacts in that one index, however the columns correlate, where one index per column hands over every contact
 * of its value to be read and thrown away. A filter on one column, or on labels only, has its own index: null then.
 */
export type Facets = {
  ownerId?: string | null; source?: string; preference?: string; country?: string; channel?: string; labelIds?: string[]
  fieldEquals?: CustomValues; issue?: string
}

/** Facet columns whose tokens a page left out of the index's search, to be tested on the rows it finds. */
export type FacetsFound<F extends Facets> = { index: Fragment; rest: Partial<F> }

/**
 * Reading a token's entries in the index costs about what it holds, however few contacts the others leave: a token
 * half the book holds cost 15–20 ms (measured on the 1M console book, `s:incoming` and `h:1` beside `c:JP` and a
 * label: 23 ms; without them, tested on the 400 rows found instead: 5 ms). A common token is left out when
 * reading its entries would cost more than reading the rows it would have kept out: an entry costs about a
 * seventy-fifth of a row found (ENTRY_TO_ROW), and the rows found are estimated as if the tokens were independent.
 */
const ENTRY_TO_ROW = 1 / 75

export function searchedTokens(tokens: string[], frequencies: FacetFrequencies): string[] {
  const { rows } = frequencies
  const share = new Map(tokens.map((t) => [t, frequencies.of(t)]))
  let found = tokens.reduce((n, t) => n * (share.get(t) ?? 0), rows)
  const kept = new Set(tokens)
  for (const token of [...tokens].sort((a, b) => (share.get(b) ?? 0) - (share.get(a) ?? 0))) {
    const f = share.get(token) ?? 0
    if (kept.size === 1 || f <= 0) break
    if (f * rows * ENTRY_TO_ROW <= found * (1 / f - 1)) break
    kept.delete(token)
    found /= f
  }
  return tokens.filter((t) => kept.has(t))
}

export function byFacets<F extends Facets>(sql: Queryable, f: F, segment?: Segment, frequencies: FacetFrequencies = UNKNOWN_FREQUENCIES): FacetsFound<F> | null {
  const columns: [string, keyof Facets][] = []
  if (f.country !== undefined) columns.push([`c:${f.country}`, 'country'])
  if (f.ownerId !== undefined) columns.push([`o:${f.ownerId ?? ''}`, 'ownerId'])
  if (f.preference !== undefined) columns.push([`p:${f.preference}`, 'preference'])
  if (f.source !== undefined) columns.push([`s:${f.source}`, 'source'])
  if (f.channel !== undefined) columns.push([f.channel, 'channel'])
  const chat = segment?.chats !== undefined ? 'h:1' : segment?.silent === true ? 'h:0' : null
  const labels = f.labelIds ?? []
  const tokens = [...columns.map(([t]) => t), ...(chat === null ? [] : [chat]), ...labels]
  const others = (f.fieldEquals === undefined ? 0 : 1) + (f.issue === undefined ? 0 : 1)
  if ((columns.length === 0 && chat === null && others === 0) || tokens.length + others < 2) return null
  // The segment's own test (has a chat or not) is written in its rows already; the columns' are not.
  const searched = new Set(searchedTokens(tokens, frequencies))
  const rest: Partial<F> = {}
  for (const [token, column] of columns) if (!searched.has(token)) Object.assign(rest, { [column]: f[column] })
  const restLabels = labels.filter((l) => !searched.has(l))
  if (restLabels.length > 0) Object.assign(rest, { labelIds: restLabels })
  // The fields' and the issue's tokens are made by the function that makes the index's (migration 079).
  const values = others === 0 ? sql`` : sql`|| facet_value_tokens(${sql.json(f.fieldEquals ?? {})}::jsonb, ${sql.json(f.issue === undefined ? [] : [{ code: f.issue }])}::jsonb)`
  return {
    index: sql`and contact_facets(c.country, c.owner_id, c.preference, c.source, c.label_ids, c.channels, c.has_chat, c.fields, c.issues) @> (${[...searched]}::text[] ${values})`,
    rest,
  }
}
