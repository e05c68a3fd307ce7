import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { checkOutbound, sendOutbound } from '../../actions/outbound.ts'
import { idField } from '../cursor.ts'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { errorAnswer } from '../errors.ts'
import { ErrorSchema, errorResponses, jsonContent } from '../schemas.ts'
import { validationHook } from '../validation.ts'

const security = [{ Bearer: [] }]
const channel = z.enum(['whatsapp', 'instagram', 'messenger'])
const contactId = idField('contact')
const IDEMPOTENCY_TTL_SECONDS = 24 * 3600

const CheckInputSchema = z
  .object({
    contactId, channel, kind: z.enum(['text', 'template']),
    templateCategory: z.enum(['marketing', 'utility', 'authentication']).optional(),
    tag: z.literal('HUMAN_AGENT').optional().openapi({ description: 'Messenger/Instagram: a person replying within 7 days' }),
  })
  .strict()
  .openapi('OutboundCheck')

const DecisionSchema = z.object({ allowed: z.boolean(), reason: z.string(), message: z.string() }).openapi('OutboundDecision')

const SendInputSchema = z
  .object({
    contactId, channel,
    text: z.string().min(1).max(4096).optional(),
    template: z.object({
      name: z.string().min(1).max(512), language: z.string().min(2).max(15),
      category: z.enum(['marketing', 'utility', 'authentication']).optional(),
      components: z.array(z.unknown()).max(20).optional(),
    }).strict().optional(),
    tag: z.literal('HUMAN_AGENT').optional(),
  })
  .strict()
  .refine((v) => (v.text === undefined) !== (v.template === undefined), { message: 'send exactly one of text or template', path: ['text'] })
  .openapi('SendMessage')

const SentSchema = z.object({ id: z.string(), channel, externalId: z.string(), status: z.literal('sent') }).openapi('SentMessage')

export function outboundRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/outbound/check', tags: ['outbound'], security, summary: 'May this contact be messaged now, on this channel, this way?',
      request: { body: { content: { 'application/json': { schema: CheckInputSchema } }, required: true } },
      responses: { 200: jsonContent(DecisionSchema, 'The decision, with a stable reason code'), 404: jsonContent(ErrorSchema, 'No such contact'), ...errorResponses },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const decision = await checkOutbound(c.var.deps, { contactId: input.contactId, channel: input.channel, kind: input.kind, templateCategory: input.templateCategory, humanAgent: input.tag === 'HUMAN_AGENT' })
      return c.json(decision, 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/messages', tags: ['outbound'], security,
      summary: 'Send a text or template after the preference check; an Idempotency-Key header makes retries send once',
      request: {
        headers: z.object({ 'idempotency-key': z.string().min(1).max(200).optional() }),
        body: { content: { 'application/json': { schema: SendInputSchema } }, required: true },
      },
      responses: {
        202: jsonContent(SentSchema, 'Sent'), 403: jsonContent(ErrorSchema, 'Refused by the preference check; error.code is the reason, nothing was sent'),
        404: jsonContent(ErrorSchema, 'No such contact'), 409: jsonContent(ErrorSchema, 'A request with this Idempotency-Key is still running'),
        429: jsonContent(ErrorSchema, 'Rate limited'), 502: jsonContent(ErrorSchema, 'Meta unavailable or refused'), 503: jsonContent(ErrorSchema, 'Sends not configured'), ...errorResponses,
      },
    }),
    async (c) => {
      const { deps, user } = c.var
      const input = c.req.valid('json')
      const send = () => sendOutbound(deps, { contactId: input.contactId, channel: input.channel, text: input.text, template: input.template, humanAgent: input.tag === 'HUMAN_AGENT' })
      const key = c.req.valid('header')['idempotency-key']
      if (key === undefined) return c.json(await send(), 202)

      const scoped = `${user.id}:${key}`
      const claim = await deps.idempotency.claim(scoped, IDEMPOTENCY_TTL_SECONDS)
      if (claim.state === 'done') return c.json(claim.response.body as object, claim.response.status as 202, { 'Idempotent-Replayed': 'true' })
      if (claim.state === 'in_progress') throw new AppError('idempotency_in_progress', 'A request with this Idempotency-Key is still being processed.')
      try {
        const sent = await send()
        await deps.idempotency.complete(scoped, { status: 202, body: sent }, IDEMPOTENCY_TTL_SECONDS)
        return c.json(sent, 202)
      } catch (error) {
        // A refusal is final and replayed as such; an outage or rate limit may succeed on the next try.
        const answer = error instanceof AppError ? errorAnswer(error) : null
        const final = answer !== null && answer.status < 500 && answer.status !== 429
        if (final) await deps.idempotency.complete(scoped, { status: answer.status, body: answer.body }, IDEMPOTENCY_TTL_SECONDS)
        else await deps.idempotency.release(scoped)
        throw error
      }
    },
  )
  return app
}
