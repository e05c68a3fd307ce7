import type { Context } from 'hono'
import type { Logger } from 'pino'
import { MAX_WEBHOOK_DEPTH, parseWebhookJson } from '../../domain/inbound/read.ts'
import type { AppEnv } from '../deps.ts'
import { AppError } from '../actions/errors.ts'
import { refuseCounted } from './middleware/rate-limit.ts'

/**
 * Refuses a webhook whose signature or token is wrong. Only failures count against the caller's address (validly
 * signed deliveries are never limited); past the limit the answer is 429 instead of 401.
 */
export function refuseUnsigned(c: Context<AppEnv>, message: string): Promise<never> {
  const rule = { name: 'webhook-signature', perMinute: c.var.deps.config.limits.signatureFailuresPerMinute, what: 'requests with bad signatures' }
  return refuseCounted(c, rule, new AppError('unauthorized', message))
}

/**
 * A webhook body as JSON (NULs and very deep nesting made storable, see parseWebhookJson); 400 invalid_json when it
 * is not JSON. What was cut is logged, as content a normalizer cannot read is.
 */
export function webhookJson(body: string | Uint8Array, logger: Logger): unknown {
  const onCut = (values: number) => logger.warn({ values, maxDepth: MAX_WEBHOOK_DEPTH }, 'webhook content not stored: nested too deep')
  try {
    return parseWebhookJson(typeof body === 'string' ? body : new TextDecoder('utf-8', { fatal: true }).decode(body), onCut)
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.')
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * A Meta delivery's body as text, once it is known to be JSON: what is not is refused now (400 invalid_json), not
 * found out by a drainer. Only parsed here; the drainer reads it as webhookJson does, when it applies it.
 */
export function webhookText(body: Uint8Array): string {
  try {
    const text = utf8.decode(body)
    JSON.parse(text)
    return text
  } catch {
    throw new AppError('invalid_json', 'The body is not valid JSON.')
  }
}
