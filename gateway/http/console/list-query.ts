import { CHANNELS, CONTACT_ISSUE_CODES, CONTACT_SOURCES, PREFERENCES } from '../../../domain/contact.ts'
import { CUSTOM_FIELD_KEY } from '../../../domain/custom-fields.ts'
import { LABEL_NAME_MAX } from '../../../domain/labels.ts'
import { isUuid } from '../../../domain/ids.ts'
import type { ContactFilters, ContactSort } from '../../actions/contact-list.ts'

export const PAGE_SIZES = [20, 50, 100] as const
export const SORTS: { value: ContactSort; label: string }[] = [
  { value: 'newest', label: 'Newest' },
  { value: 'name', label: 'Name' },
  { value: 'last_message', label: 'Last message' },
]

export type ListQuery = { filters: ContactFilters; sort: ContactSort; size: number; cursor: string | null; direction: 'next' | 'prev' }

function oneOf<T extends string>(values: readonly T[], raw: string | undefined): T | undefined {
  return values.find((v) => v === raw)
}

const text = (raw: string | undefined) => (raw === undefined || raw.trim() === '' ? undefined : raw.trim())

/**
 * The list's URL as filters: a browser's address bar holds anything, so values the API would refuse are
 * dropped rather than answered with an error page (the form then shows them unset).
 */
export function parseListQuery(query: Record<string, string | undefined>): ListQuery {
  const owner = text(query.owner)
  const list = text(query.list)
  // One custom field at a time in the console: `field` names it, `value` is what it must equal.
  const field = text(query.field)
  const value = text(query.value)?.slice(0, 1000)
  const filters: ContactFilters = {
    q: text(query.q)?.slice(0, 200),
    owner: owner === 'none' || (owner !== undefined && isUuid(owner)) ? owner : undefined,
    source: oneOf(CONTACT_SOURCES, query.source),
    preference: oneOf(PREFERENCES, query.preference),
    country: text(query.country)?.slice(0, 100),
    channel: oneOf(CHANNELS, query.channel),
    issue: oneOf(CONTACT_ISSUE_CODES, query.issue),
    label: text(query.label)?.slice(0, LABEL_NAME_MAX),
    list: list !== undefined && isUuid(list) ? list.toLowerCase() : undefined,
    fields: field !== undefined && CUSTOM_FIELD_KEY.test(field) && value !== undefined ? { [field]: value } : undefined,
  }
  const size = PAGE_SIZES.find((s) => String(s) === query.size) ?? PAGE_SIZES[0]
  return {
    filters,
    sort: oneOf(SORTS.map((s) => s.value), query.sort) ?? 'newest',
    size,
    cursor: text(query.cursor) ?? null,
    direction: query.dir === 'prev' ? 'prev' : 'next',
  }
}

/** The filters as URL parameters, for links that keep them (paging, export, "all matching"). */
export function filterParams(filters: ContactFilters): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(Object.entries(filters).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''))
  const [field] = Object.entries(filters.fields ?? {})
  if (field !== undefined) {
    params.field = field[0]
    params.value = field[1]
  }
  return params
}

export function listUrl(path: string, params: Record<string, string | undefined>): string {
  const search = new URLSearchParams(Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''))
  const s = search.toString()
  return s === '' ? path : `${path}?${s}`
}
