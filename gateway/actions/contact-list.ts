import { stringify } from 'csv-stringify/sync'
import { CONTACT_ISSUE_CODES, type Contact, type ContactIssueCode, type Preference } from '../../domain/contact.ts'
import { decodeListKey, encodeListKey } from '../../domain/contact-list.ts'
import { parseCountry } from '../../domain/country.ts'
import { contactCsvHeader } from '../../domain/csv/export.ts'
import { filteredCsv, wholeBookCsv } from '../../storage/contact-export.ts'
import { isUuid } from '../../domain/ids.ts'
import { parseSearchQuery } from '../../domain/search.ts'
import { countMatching, listContactPage, matchingIds, type ContactFilter } from '../../storage/contact-list.ts'
import type { Sql } from '../../storage/sql.ts'
import type { Deps } from '../deps.ts'
import { AppError } from './errors.ts'
import { checkCustomValue, type CustomFieldDefinition, type CustomValues } from '../../domain/custom-fields.ts'
import { listCustomFields } from '../../storage/custom-fields.ts'
import { labelIdsOf } from '../../storage/labels.ts'
import { contactListExists } from '../../storage/lists.ts'

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
  /** Label names: contacts that have all of them. */
  label?: string | string[] | undefined
  /** A contact list's id: its members. */
  list?: string | undefined
  /** Custom field equals: the value as text, read by the field's type. */
  fields?: Record<string, string> | undefined
}

export type ContactListRequest = { filters: ContactFilters; sort: ContactSort; limit: number; cursor: string | null; direction: 'next' | 'prev' }
export type ContactListPage = { items: Contact[]; nextCursor: string | null; prevCursor: string | null }

const COUNT_CAP = 10_000
const BATCH = 1000

function invalid(field: string, message: string): AppError {
  return new AppError('malformed_request', `Invalid request query: ${field} ${message}.`, [{ field, code: 'invalid_value', message }])
}

const NO_LABEL = '00000000-0000-0000-0000-000000000000'

/** The filters as storage reads them; a value that names nothing is refused, naming its field. */
export async function toFilter(deps: Deps, f: ContactFilters): Promise<ContactFilter> {
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
  const labels = f.label === undefined ? [] : Array.isArray(f.label) ? f.label : [f.label]
  if (labels.length > 0) {
    const found = await labelIdsOf(deps.sql, labels)
    // A label nobody made is carried by no contact: the page is empty rather than an error.
    filter.labelIds = found.unknown.length > 0 ? [NO_LABEL] : found.ids
  }
  if (f.list !== undefined) {
    if (!isUuid(f.list) || !(await contactListExists(deps.sql, f.list.toLowerCase()))) throw invalid('list', 'is not the id of a contact list')
    filter.listId = f.list.toLowerCase()
  }
  if (f.fields !== undefined && Object.keys(f.fields).length > 0) {
    const defs = await listCustomFields(deps.sql)
    const equals: CustomValues = {}
    for (const [key, raw] of Object.entries(f.fields)) {
      const def = defs.find((d) => d.key === key)
      if (def === undefined) throw invalid(`field.${key}`, 'is not a custom field')
      const checked = checkCustomValue(def, raw)
      if (!checked.ok) throw invalid(`field.${key}`, checked.message)
      equals[key] = checked.value
    }
    filter.fieldEquals = equals
  }
  return filter
}

export async function listContacts(deps: Deps, request: ContactListRequest): Promise<ContactListPage> {
  const after = request.cursor === null || request.cursor === '' ? null : decodeListKey(request.cursor, request.sort)
  if (request.cursor !== null && request.cursor !== '' && after === null) {
    throw new AppError('malformed_request', 'The cursor is not one this API returned.', { field: 'cursor' })
  }
  const page = await listContactPage(deps.sql, { filter: await toFilter(deps, request.filters), sort: request.sort, limit: request.limit, after, direction: request.direction })
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
  return countMatching(deps.sql, await toFilter(deps, filters), COUNT_CAP)
}

/**
 * The CSV export as bytes, header first (UTF-8 with a BOM), streamed with flat memory. The whole book is written by
 * PostgreSQL's COPY; a filtered export by the database in batches (storage/contact-export.ts).
 */
export async function exportContactsCsv(deps: Deps, filters: ContactFilters): Promise<AsyncIterable<Uint8Array>> {
  // The filter and the fields are read now, in the request (a bad filter is a 422, not a broken download), and the
  // connection is taken now: the rows are read while the answer streams, after the route has returned (on
  // Workers, outside the request's scope of deps).
  return csvBytes(deps.sql, await toFilter(deps, filters), await listCustomFields(deps.sql))
}

const WHOLE_BOOK_KEYS = new Set(['query'])

async function* csvBytes(sql: Sql, filter: ContactFilter, defs: CustomFieldDefinition[]): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder()
  // The BOM makes Excel read the file as UTF-8.
  yield encoder.encode('\ufeff' + stringify([contactCsvHeader(defs)]))
  const wholeBook = filter.query.kind === 'all' && Object.keys(filter).every((key) => WHOLE_BOOK_KEYS.has(key))
  if (wholeBook) yield* wholeBookCsv(sql, defs)
  else for await (const text of filteredCsv(sql, filter, defs)) yield encoder.encode(text)
}

/** Every id matching the filters (for bulk actions on "all N matching"), in keyset batches. */
export async function* matchingContactIds(deps: Deps, filters: ContactFilters, batchSize = BATCH): AsyncGenerator<string[]> {
  const sql = deps.sql
  const filter = await toFilter(deps, filters)
  let after: string | null = null
  for (;;) {
    const ids = await matchingIds(sql, filter, batchSize, after)
    if (ids.length > 0) yield ids
    if (ids.length < batchSize) return
    after = ids[ids.length - 1] ?? null
  }
}
