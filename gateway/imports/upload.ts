import { AppError } from '../actions/errors.ts'
import { FileTooLarge, NotText } from './reader.ts'

/** What a multipart body adds around its file (boundaries, headers, the form's small fields). */
export const MULTIPART_SLACK_BYTES = 64 * 1024

/** The import limit (IMPORT_MAX_MB, as config.limits.importBytes) as people read it. */
export function megabytes(limit: number): string {
  return `${Math.round(limit / 1024 / 1024)} MB`
}

export function importTooLarge(limit: number): AppError {
  return new AppError('payload_too_large', `The file is larger than the import limit of ${megabytes(limit)} (IMPORT_MAX_MB).`)
}

/**
 * The one size check of an upload before a byte of it is read: the size its sender announced (Content-Length, a
 * Telegram document's file_size, a file on disk) against the import limit, with room for what wraps the file.
 * An upload that does not announce its size is held to the limit as it streams (spool.ts, reader.ts), which
 * throws FileTooLarge; `fileError` turns that into the same refusal.
 */
export function refuseOversizedUpload(announced: number | null | undefined, limit: number, envelope = 0): void {
  const refusal = oversizedUpload(announced, limit, envelope)
  if (refusal !== null) throw refusal
}

/** The same check as a value, for a front door that answers the refusal itself (the bot, before it downloads). */
export function oversizedUpload(announced: number | null | undefined, limit: number, envelope = 0): AppError | null {
  return announced !== null && announced !== undefined && announced > limit + envelope ? importTooLarge(limit) : null
}

/**
 * What is wrong with an uploaded file, as the error every front door shows: larger than the limit, or not text.
 * Anything else is returned as it is, for the caller to handle or throw.
 */
export function fileError(error: unknown, limit: number): unknown {
  if (error instanceof FileTooLarge) return importTooLarge(limit)
  if (error instanceof NotText) return new AppError('unsupported_file', `Nothing was imported: ${error.message}.`)
  return error
}

/** The bytes of an upload, failing with FileTooLarge as soon as they pass `maxBytes`. */
export async function* withinLimit(bytes: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let size = 0
  for await (const chunk of bytes) {
    size += chunk.length
    if (size > maxBytes) throw new FileTooLarge(maxBytes)
    yield chunk
  }
}
