import { Hono } from 'hono'
import type { InboundChannel } from '../../../domain/inbound/events.ts'
import { acceptDelivery } from '../../actions/inbound.ts'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { errorBody } from '../errors.ts'
import { limitBody } from '../middleware/body-limit.ts'
import { verifyMetaSignature } from '../signature.ts'
import { refuseUnsigned, webhookText } from '../webhook-input.ts'

function channelOf(name: string): InboundChannel {
  if (name === 'whatsapp' || name === 'instagram' || name === 'messenger') return name
  throw new AppError('not_found', `No webhook for ${name}.`)
}

/** Meta's webhooks: the GET verification handshake and signed POST deliveries. */
export function metaWebhookRoutes() {
  const app = new Hono<AppEnv>()

  app.get('/webhooks/:channel{whatsapp|instagram|messenger}', (c) => {
    const expected = c.var.deps.config.meta.verifyToken
    const mode = c.req.query('hub.mode')
    const token = c.req.query('hub.verify_token')
    const challenge = c.req.query('hub.challenge')
    if (expected === undefined || mode !== 'subscribe' || token !== expected || challenge === undefined) {
      return c.json(errorBody('forbidden', 'Verification failed.'), 403)
    }
    return c.text(challenge, 200)
  })

  app.post(
    '/webhooks/:channel{whatsapp|instagram|messenger}',
    async (c, next) => {
      if (c.var.deps.config.meta.appSecret === undefined) throw new AppError('not_configured', 'META_APP_SECRET is not set; Meta webhooks are off.')
      await next()
    },
    limitBody((c) => c.var.deps.config.limits.webhookBodyBytes, (max) => `Webhook bodies are limited to ${max} bytes.`),
    async (c) => {
      const { deps } = c.var
      const channel = channelOf(c.req.param('channel'))
      const body = new Uint8Array(await c.req.arrayBuffer())
      if (!(await verifyMetaSignature(deps.config.meta.appSecret ?? '', c.req.header('x-hub-signature-256'), body))) {
        await refuseUnsigned(c, 'Missing or invalid X-Hub-Signature-256.')
      }
      await acceptDelivery(deps, channel, webhookText(body))
      return c.json({ ok: true }, 200)
    },
  )
  return app
}
