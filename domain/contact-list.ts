import { isUuid } from './ids.ts'

export const LIST_SORTS = ['newest', 'name', 'last_message'] as const
export type ListSort = (typeof LIST_SORTS)[number]

/**
 * Where a page of the contact list starts or ends, in the sort's own order: `newest` is the id (UUIDv7, so id
 * order is creation order); `name` is lower(name), nulls last, then the id; `last_message` the latest chat's
 * time as PostgreSQL writes it (microseconds, which a Date would lose), nulls last, then the id.
 */
export type ListKey =
  | { sort: 'newest'; id: string }
  | { sort: 'name'; name: string | null; id: string }
  | { sort: 'last_message'; at: string | null; id: string }

function base64url(text: string): string {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

function fromBase64url(text: string): string | null {
  try {
    const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)))
  } catch {
    return null
  }
}

const PG_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/

/** Cursors are opaque to clients. A `newest` cursor is the base64 id, as the API's cursors have always been. */
export function encodeListKey(key: ListKey): string {
  if (key.sort === 'newest') return btoa(key.id).replace(/=+$/, '')
  return base64url(JSON.stringify(key.sort === 'name' ? ['n', key.name, key.id] : ['m', key.at, key.id]))
}

/** The key of a cursor this API returned for this sort, or null for anything else. */
export function decodeListKey(cursor: string, sort: ListSort): ListKey | null {
  if (sort === 'newest') {
    const id = fromBase64url(cursor)
    return id !== null && isUuid(id) ? { sort, id: id.toLowerCase() } : null
  }
  const text = fromBase64url(cursor)
  let parsed: unknown
  try {
    parsed = text === null ? null : JSON.parse(text)
  } catch {
    return null
  }
  if (!Array.isArray(parsed) || parsed.length !== 3) return null
  const [tag, value, id] = parsed as unknown[]
  if (typeof id !== 'string' || !isUuid(id) || (value !== null && typeof value !== 'string')) return null
  if (sort === 'name' && tag === 'n') return { sort, name: value, id }
  if (sort === 'last_message' && tag === 'm' && (value === null || PG_TIMESTAMP.test(value))) return { sort, at: value, id }
  return null
}
