import { z } from '@hono/zod-openapi'
import { isUuid } from '../../domain/ids.ts'
import { AppError } from '../actions/errors.ts'

/** Cursors are opaque to clients so that the ordering key can change without breaking them. */
export function encodeCursor(id: string | null): string | null {
  return id === null ? null : btoa(id).replace(/=+$/, '')
}

export function decodeCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null
  let id: string
  try {
    id = atob(cursor)
  } catch {
    id = ''
  }
  if (!isUuid(id)) throw new AppError('malformed_request', 'The cursor is not one this API returned.', { field: 'cursor' })
  return id
}

/** A path id, or 404 as for a row that does not exist: an id that is not a UUID names nothing. */
export function idOrNotFound(id: string, notFound: string): string {
  if (!isUuid(id)) throw new AppError('not_found', notFound)
  return id.toLowerCase()
}

/** An id in a request body, stored spelling (lower case) once it passed: ids are compared as text after this. */
export function idField(what: string) {
  return z.string().refine(isUuid, `is not a ${what} id`).transform((id) => id.toLowerCase())
}

/** Message pages are keyed on (sentAt, id). */
export function encodeMessageCursor(next: { sentAt: string; id: string } | null): string | null {
  return next === null ? null : btoa(`${next.sentAt}|${next.id}`).replace(/=+$/, '')
}

export function decodeMessageCursor(cursor: string | undefined): { sentAt: string; id: string } | null {
  if (cursor === undefined || cursor === '') return null
  let text = ''
  try {
    text = atob(cursor)
  } catch {
    text = ''
  }
  const [sentAt = '', id = ''] = text.split('|')
  if (!isUuid(id) || Number.isNaN(Date.parse(sentAt))) throw new AppError('malformed_request', 'The cursor is not one this API returned.', { field: 'cursor' })
  return { sentAt, id }
}
