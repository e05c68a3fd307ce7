import { z } from '@hono/zod-openapi'
import { isUuid } from '../../domain/ids.ts'
import { AppError } from '../actions/errors.ts'
import type { TimeCursor } from '../../storage/pages.ts'

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

/** Pages of a contact's messages and history are keyed on (time, id); the API and the console spell them alike. */
export function encodeTimeCursor(next: TimeCursor | null): string | null {
  return next === null ? null : btoa(`${next.at}|${next.id}`).replace(/=+$/, '')
}

/**
 * The cursor, or null for one this API never returned (the console then shows the first page). Ids are UUIDs
 * but for the inbox's, which count deliveries in arrival order.
 */
export function readTimeCursor(cursor: string | undefined, isId: (id: string) => boolean = isUuid): TimeCursor | null {
  if (cursor === undefined || cursor === '') return null
  let text = ''
  try {
    text = atob(cursor)
  } catch {
    text = ''
  }
  const [at = '', id = ''] = text.split('|')
  return isId(id) && !Number.isNaN(Date.parse(at)) ? { at, id: id.toLowerCase() } : null
}

export function decodeTimeCursor(cursor: string | undefined, isId: (id: string) => boolean = isUuid): TimeCursor | null {
  const read = readTimeCursor(cursor, isId)
  if (read === null && cursor !== undefined && cursor !== '') throw new AppError('malformed_request', 'The cursor is not one this API returned.', { field: 'cursor' })
  return read
}
