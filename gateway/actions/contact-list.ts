import { stringify } from 'csv-stringify/sync'
import { CONTACT_ISSUE_CODES, type Contact, type ContactIssueCode, type Preference } from '../../domain/contact.ts'
import { decodeListKey, encodeListKey } from '../../domain/contact-list.ts'
import { parseCountry } from '../../domain/country.ts'
import { contactCsvHeader, contactCsvRow } from '../../domain/csv/export.ts'
import { isUuid } from '../../domain/ids.ts'
import { parseSearchQuery } from '../../domain/search.ts'
import { countMatching, listContactPage, matchingIds, type ContactFilter } from '../../storage/contact-list.ts'
import type { Sql } from '../../storage/sql.ts'
import type { Deps } from '../deps.ts'
import { AppError } from './errors.ts'

export type ContactSort = 'newest' | 'name' | 'last_message'

export type ContactFilters = {
  /** The search box, read by parseSearchQuery. */
  q?: string | undefined
  /** A user id; the literal 'none' means no owner. */
  owner?: string | undefined
  source?: 'manual' | 'import' | 'incoming' | 'crm' | undefined
  preference?: Preference | undefined
  /** ISO alpha-2, or a country name the domain's country parser reads ('Deutschland'). */
  country?: string | undefined
  /** Has an identity on this channel. */
  channel?: 'whatsapp' | 'instagram' | 'messenger' | 'hubspot' | 'zoho' | undefined
  issue?: string | undefined
}

export type ContactListRequest = { filters: ContactFilters; sort: ContactSort; limit: number; cursor: string | null; direction: 'next' | 'prev' }
export type ContactListPage = { items: Contact[]; nextCursor: string | null; prevCursor: string | null }

const COUNT_CAP = 10_000
const BATCH = 1000

function invalid(field: string, message: string): AppError {
  return new AppError('malformed_request', `Invalid request query: ${field} ${message}.`, [{ field, code: 'invalid_value', message }])
}

/** The filters as storage reads them; a value that names nothing is refused, naming its field. */
function toFilter(deps: Deps, f: ContactFilters): ContactFilter {
  const filter: ContactFilter = { query: parseSearchQuery(f.q, deps.config.defaultCountry) }
  if (f.owner !== undefined) {
    if (f.owner === 'none') filter.ownerId = null
    else if (isUuid(f.owner)) filter.ownerId = f.owner.toLowerCase()
    else throw invalid('owner', "is not a user id or 'none'")
  }
  if (f.source !== undefined) filter.source = f.source
  if (f.preference !== undefined) filter.preference = f.preference
  if (f.channel !== undefined) filter.channel = f.channel
  if (f.country !== undefined) {
    const country = parseCountry(f.country)
    if (!country.ok) throw invalid('country', country.message)
    filter.country = country.code
  }
  if (f.issue !== undefined) {
    if (!(CONTACT_ISSUE_CODES as readonly string[]).includes(f.issue)) throw invalid('issue', `is not one of ${CONTACT_ISSUE_CODES.join(', ')}`)
    filter.issue = f.issue as ContactIssueCode
  }
  return filter
}

export async function listContacts(deps: Deps, request: ContactListRequest): Promise<ContactListPage> {
  const after = request.cursor === null || request.cursor === '' ? null : decodeListKey(request.cursor, request.sort)
  if (request.cursor !== null && request.cursor !== '' && after === null) {
    throw new AppError('malformed_request', 'The cursor is not one this API returned.', { field: 'cursor' })
  }
  const page = await listContactPage(deps.sql, { filter: toFilter(deps, request.filters), sort: request.sort, limit: request.limit, after, direction: request.direction })
  const first = page.items[0]
  const last = page.items.at(-1)
  // Walking forward from a cursor, there is a page behind; walking back, there is one ahead.
  const behind = request.direction === 'prev' ? page.more : after !== null
  const ahead = request.direction === 'next' ? page.more : after !== null
  return {
    items: page.items.map((i) => i.contact),
    nextCursor: ahead && last !== undefined ? encodeListKey(last.key) : null,
    prevCursor: behind && first !== undefined ? encodeListKey(first.key) : null,
  }
}

/** exact below 10,000; above, `exact: false` with an estimate or the 10,000 floor ("about"). Must stay fast on 1M rows. */
export async function countContacts(deps: Deps, filters: ContactFilters): Promise<{ count: number; exact: boolean }> {
  return countMatching(deps.sql, toFilter(deps, filters), COUNT_CAP)
}

/** The CSV export: an async iterable of string chunks (header first), streaming in keyset batches, flat memory. */
export function exportContactsCsv(deps: Deps, filters: ContactFilters): AsyncIterable<string> {
  // The connection is taken now, in the request: the batches are read while the answer streams, after the route
  // has returned (on Workers, outside the request's scope of deps).
  return csvChunks(deps.sql, toFilter(deps, filters))
}

async function* csvChunks(sql: Sql, filter: ContactFilter): AsyncGenerator<string> {
  // The BOM makes Excel read the file as UTF-8.
  yield '\ufeff' + stringify([contactCsvHeader()])
  let after: string | null = null
  for (;;) {
    const page = await listContactPage(sql, { filter, sort: 'newest', limit: BATCH, after: after === null ? null : { sort: 'newest', id: after }, direction: 'next' })
    if (page.items.length > 0) yield stringify(page.items.map((i) => contactCsvRow(i.contact)))
    const last = page.items.at(-1)
    if (!page.more || last === undefined) return
    after = last.contact.id
  }
}

/** Every id matching the filters (for bulk actions on "all N matching"), in keyset batches. */
export function matchingContactIds(deps: Deps, filters: ContactFilters, batchSize = BATCH): AsyncIterable<string[]> {
  return idBatches(deps.sql, toFilter(deps, filters), batchSize)
}

async function* idBatches(sql: Sql, filter: ContactFilter, batchSize: number): AsyncGenerator<string[]> {
  let after: string | null = null
  for (;;) {
    const ids = await matchingIds(sql, filter, batchSize, after)
    if (ids.length > 0) yield ids
    if (ids.length < batchSize) return
    after = ids[ids.length - 1] ?? null
  }
}
