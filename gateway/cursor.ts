import { AppError } from './errors.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

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
  if (!UUID.test(id)) throw new AppError('malformed_request', 'The cursor is not one this API returned.', { field: 'cursor' })
  return id
}

export function isUuid(value: string): boolean {
  return UUID.test(value)
}
