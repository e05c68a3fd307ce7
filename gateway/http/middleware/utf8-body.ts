import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'

const JSON_TYPE = /^application\/([\w.+-]+\+)?json\b/i

/**
 * JSON is UTF-8 (RFC 8259 §8.1), and the runtime's decoder would turn bytes that are not into U+FFFD without a
 * word, storing a name nobody wrote. The bytes are checked once here; the validator's c.req.json() then reads
 * the same buffer from Hono's body cache.
 */
export const requireUtf8Json: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.req.method === 'GET' || c.req.method === 'HEAD' || !JSON_TYPE.test(c.req.header('content-type') ?? '')) return next()
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(await c.req.arrayBuffer())
  } catch {
    throw new AppError('invalid_json', 'The body is not valid UTF-8; send JSON encoded as UTF-8.')
  }
  await next()
}
