import type { AppError } from '../gateway/actions/errors.ts'

/** Reached only when a code has no case above: `code` is then not `never`, and tsc refuses the call. */
function unsaid(code: never): never {
  throw new Error(`No chat sentence for the error code ${String(code)}`)
}

/**
 * What the bot says when an action refuses, one case per code (a command puts its own lead-in before it). The
 * actions' sentences are written for the person who asked and name what to fix, so most codes say them as they
 * are; the codes only HTTP raises (a request's shape, its token, its Idempotency-Key) get a sentence of the chat's.
 */
export function refusalText(error: AppError): string {
  const { code } = error
  switch (code) {
    // What was sent or asked for cannot be used; the sentence says which part.
    case 'empty_file':
    case 'no_contact_columns':
    case 'too_many_columns':
    case 'invalid_mapping':
    case 'unsupported_file':
    case 'payload_too_large':
    case 'validation_failed':
    case 'invalid_parameter':
    case 'not_found':
    case 'forbidden':
    case 'duplicate_contact':
    case 'conflict':
      return error.message
    // The send policy's refusals and Meta's.
    case 'contact_inactive':
    case 'no_channel_identity':
    case 'missing_country_code':
    case 'marketing_opted_out':
    case 'reactive_outside_window':
    case 'template_required':
    case 'outside_window':
    case 'outside_messaging_window':
    case 'reengagement_required':
    case 'undeliverable':
    case 'pair_rate_limited':
    case 'graph_error':
    case 'access_token_invalid':
      return error.message
    // Something the gateway cannot do now or here; the sentence says what to set or when to try again.
    case 'not_configured':
    case 'upstream_unavailable':
    case 'database_unavailable':
    case 'rate_limited':
    case 'internal_error':
      return error.message
    // Raised by HTTP only (the bot's own input is parsed by its commands, and Telegram vouches for who sent it).
    case 'malformed_request':
    case 'invalid_json':
      return 'The request was not understood; see /help.'
    case 'unauthorized':
      return 'Sorry, this bot only works for the team that runs it.'
    case 'idempotency_in_progress':
      return 'The same request is still being handled; try again in a moment.'
    default:
      return unsaid(code)
  }
}
