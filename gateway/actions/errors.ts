import type { DenyReason } from '../../domain/preference.ts'

export type ErrorCode =
  | 'malformed_request'
  | 'invalid_json'
  | 'empty_file'
  | 'no_contact_columns'
  | 'too_many_columns'
  | 'invalid_mapping'
  | 'unsupported_file'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'duplicate_contact'
  | 'conflict'
  | 'payload_too_large'
  | 'validation_failed'
  | 'rate_limited'
  | 'not_configured'
  | 'database_unavailable'
  | 'internal_error'
  | 'idempotency_in_progress'
  | 'reengagement_required'
  | 'undeliverable'
  | 'pair_rate_limited'
  | 'invalid_parameter'
  | 'outside_messaging_window'
  | 'access_token_invalid'
  | 'graph_error'
  | 'upstream_unavailable'
  /** A send the preference policy refused: the code is the decision's reason. */
  | DenyReason

/**
 * The one error type the gateway throws on purpose; everything else becomes `internal_error`. It says what went
 * wrong (a code and a sentence) and nothing of how a front door answers it: gateway/http/errors.ts maps codes to
 * statuses, bot/errors.ts to chat sentences.
 */
export class AppError extends Error {
  /** When trying again may succeed, in seconds (HTTP sends it as `Retry-After`). */
  readonly retryAfterSeconds: number | undefined

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message)
    this.retryAfterSeconds = options.retryAfterSeconds
  }
}

/** A limit was hit: the caller is told when to try again. */
export function rateLimited(retryAfterSeconds: number, what: string): AppError {
  return new AppError('rate_limited', `Too many ${what}; retry in ${retryAfterSeconds} s.`, { retryAfterSeconds }, { retryAfterSeconds })
}

/** A value a person gave that the rules refuse: 422 naming the field, in the shape the built-in fields' errors have. */
export function invalidField(field: string, message: string): AppError {
  return new AppError('validation_failed', `${field} ${message}.`, [{ field, code: 'invalid_value', message }])
}
