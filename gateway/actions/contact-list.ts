import type { Contact, Preference } from '../../domain/contact.ts'
import { parseSearchQuery } from '../../domain/search.ts'
import { searchContacts } from '../../storage/contacts.ts'
import type { Deps } from '../deps.ts'

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

export async function listContacts(deps: Deps, request: ContactListRequest): Promise<ContactListPage> {
  const page = await searchContacts(deps.sql, parseSearchQuery(request.filters.q, deps.config.defaultCountry), request.limit, request.cursor)
  return { items: page.items, nextCursor: page.nextCursor, prevCursor: null }
}

/** exact below 10,000; above, `exact: false` with an estimate or the 10,000 floor ("about"). Must stay fast on 1M rows. */
export async function countContacts(deps: Deps, filters: ContactFilters): Promise<{ count: number; exact: boolean }> {
  let count = 0
  for await (const ids of matchingContactIds(deps, filters)) count += ids.length
  return { count, exact: true }
}

/** The CSV export: an async iterable of string chunks (header first), streaming in keyset batches, flat memory. */
export async function* exportContactsCsv(deps: Deps, filters: ContactFilters): AsyncIterable<string> {
  yield '\ufeffid\n'
  for await (const ids of matchingContactIds(deps, filters)) yield ids.map((id) => `${id}\n`).join('')
}

/** Every id matching the filters (for bulk actions on "all N matching"), in keyset batches. */
export async function* matchingContactIds(deps: Deps, filters: ContactFilters, batchSize = 1000): AsyncIterable<string[]> {
  let cursor: string | null = null
  for (;;) {
    const page = await searchContacts(deps.sql, parseSearchQuery(filters.q, deps.config.defaultCountry), batchSize, cursor)
    if (page.items.length > 0) yield page.items.map((c) => c.id)
    if (page.nextCursor === null) return
    cursor = page.nextCursor
  }
}
