import { AppError } from '../actions/errors.ts'
import { FileTooLarge, NotText, UploadInterrupted } from './reader.ts'

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

type BodyRead = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>

/**
 * A request's body, chunk by chunk. A client that goes away mid-upload aborts the request's signal without
 * always ending or erroring the body stream, so each read races the signal. The race is one promise per read,
 * settled by the read or by the abort listener: racing every read against one long-lived "aborted" promise (as
 * Promise.race does) left a reaction on it per chunk, each holding its chunk, so the whole upload stayed in
 * memory for as long as the request's signal did (measured: 120 MB of buffers through a 1M-row import).
 */
export async function* requestBodyBytes(request: Request): AsyncGenerator<Uint8Array> {
  if (request.body === null) return
  const reader = request.body.getReader()
  let bytes = 0
  const gone = () => new UploadInterrupted(bytes, request.signal.reason ?? 'the client went away')
  let failRead: ((error: unknown) => void) | null = null
  const onAbort = () => failRead?.(gone())
  request.signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      if (request.signal.aborted) throw gone()
      let next: BodyRead
      try {
        next = await new Promise<BodyRead>((resolve, reject) => {
          failRead = reject
          reader.read().then(resolve, reject)
        })
      } catch (error) {
        throw error instanceof UploadInterrupted ? error : new UploadInterrupted(bytes, error)
      } finally {
        failRead = null
      }
      if (next.done) return
      bytes += next.value.length
      yield next.value
    }
  } finally {
    request.signal.removeEventListener('abort', onAbort)
    reader.cancel().catch(() => {})
  }
}
