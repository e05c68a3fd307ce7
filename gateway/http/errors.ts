import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AppError, type ErrorCode } from '../actions/errors.ts'

/** Reached only when a code has no case above: `code` is then not `never`, and tsc refuses the call. */
function unmapped(code: never): never {
  throw new Error(`No HTTP status for the error code ${String(code)}`)
}

/** The status each error code answers with (docs/api.md lists them); clients rely on them, so they do not change. */
export function statusOf(code: ErrorCode): ContentfulStatusCode {
  switch (code) {
    case 'malformed_request':
    case 'invalid_json':
    case 'empty_file':
      return 400
    case 'unauthorized':
      return 401
    case 'forbidden':
      return 403
    case 'not_found':
      return 404
    case 'duplicate_contact':
    case 'conflict':
    case 'idempotency_in_progress':
      return 409
    case 'contact_inactive':
    case 'no_channel_identity':
    case 'missing_country_code':
    case 'marketing_opted_out':
    case 'reactive_outside_window':
    case 'template_required':
    case 'outside_window':
    case 'outside_messaging_window':
      return 403
    case 'reengagement_required':
    case 'undeliverable':
    case 'invalid_parameter':
      return 422
    case 'pair_rate_limited':
      return 429
    case 'graph_error':
    case 'upstream_unavailable':
      return 502
    case 'payload_too_large':
      return 413
    case 'validation_failed':
    case 'no_contact_columns':
    case 'too_many_columns':
    case 'invalid_mapping':
      return 422
    case 'unsupported_file':
      return 415
    case 'rate_limited':
      return 429
    case 'not_configured':
    case 'database_unavailable':
    case 'access_token_invalid':
      return 503
    case 'internal_error':
      return 500
    default:
      return unmapped(code)
  }
}

/** A 401 of the bearer-token check, which names the scheme to use (RFC 6750 §3); HTTP's own, so it lives here. */
export class BearerChallenge extends AppError {
  constructor(message: string, readonly challenge: string) {
    super('unauthorized', message)
  }
}

export type ErrorBody = { error: { code: ErrorCode; message: string; details?: unknown } }

export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

export type ErrorAnswer = { status: ContentfulStatusCode; body: ErrorBody; headers: Record<string, string> }

/** How an AppError is answered over HTTP: its status, the contract's JSON and the headers it implies. */
export function errorAnswer(error: AppError): ErrorAnswer {
  const headers: Record<string, string> = {}
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds)
  if (error instanceof BearerChallenge) headers['WWW-Authenticate'] = error.challenge
  return { status: statusOf(error.code), body: errorBody(error.code, error.message, error.details), headers }
}
