import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from '../../deps.ts'
import { ErrorSchema, jsonContent } from '../schemas.ts'

const Anything = z.unknown().openapi({ description: 'The platform’s own JSON, as it sends it' })
const Tally = z.object({ ok: z.literal(true), imported: z.number(), updated: z.number(), failed: z.number() })
const errors = {
  401: jsonContent(ErrorSchema, 'Bad or missing signature or token; nothing stored'),
  413: jsonContent(ErrorSchema, 'Body too large'),
  503: jsonContent(ErrorSchema, 'Not configured, or the database is down (the platform retries)'),
}

/**
 * The platform routes take the platforms' raw bodies (signatures are computed over the exact bytes), so they are
 * plain routes; these entries put them in /openapi.json next to the admin API.
 */
export function documentPlatformRoutes(app: OpenAPIHono<AppEnv>): void {
  const channel = z.enum(['whatsapp', 'instagram', 'messenger']).openapi({ param: { name: 'channel', in: 'path' } })
  app.openAPIRegistry.registerPath(createRoute({
    method: 'get', path: '/webhooks/{channel}', tags: ['platform'], summary: 'Meta’s verification handshake',
    request: { params: z.object({ channel }), query: z.object({ 'hub.mode': z.literal('subscribe'), 'hub.verify_token': z.string(), 'hub.challenge': z.string() }) },
    responses: { 200: { description: 'The challenge, as plain text', content: { 'text/plain': { schema: z.string() } } }, 403: jsonContent(ErrorSchema, 'Wrong token or mode') },
  }))
  app.openAPIRegistry.registerPath(createRoute({
    method: 'post', path: '/webhooks/{channel}', tags: ['platform'],
    summary: 'Meta deliveries (X-Hub-Signature-256 with META_APP_SECRET); 200 once the delivery is committed to the inbox (contacts, chats and messages follow within a second), 5xx when it cannot be stored so that Meta retries',
    request: { params: z.object({ channel }), headers: z.object({ 'x-hub-signature-256': z.string() }), body: { content: { 'application/json': { schema: Anything } }, required: true } },
    responses: {
      200: jsonContent(z.object({ ok: z.literal(true) }), 'Stored in the inbox'),
      400: jsonContent(ErrorSchema, 'Not JSON'), ...errors,
    },
  }))
  app.openAPIRegistry.registerPath(createRoute({
    method: 'post', path: '/webhooks/hubspot', tags: ['platform'], summary: 'HubSpot webhook events (signature v3 with HUBSPOT_CLIENT_SECRET)',
    request: { headers: z.object({ 'x-hubspot-signature-v3': z.string(), 'x-hubspot-request-timestamp': z.string() }), body: { content: { 'application/json': { schema: Anything } }, required: true } },
    responses: { 200: jsonContent(Tally, 'Applied'), 502: jsonContent(ErrorSchema, 'HubSpot could not be reached; send again'), ...errors },
  }))
  app.openAPIRegistry.registerPath(createRoute({
    method: 'post', path: '/webhooks/zoho', tags: ['platform'], summary: 'Zoho CRM notifications (token = ZOHO_WEBHOOK_TOKEN)',
    request: { body: { content: { 'application/json': { schema: Anything } }, required: true } },
    responses: { 200: jsonContent(Tally, 'Applied'), 502: jsonContent(ErrorSchema, 'Zoho could not be reached; send again'), ...errors },
  }))
  app.openAPIRegistry.registerPath(createRoute({
    method: 'post', path: '/telegram/webhook', tags: ['platform'], summary: 'Telegram updates for the admin bot (X-Telegram-Bot-Api-Secret-Token)',
    request: { headers: z.object({ 'x-telegram-bot-api-secret-token': z.string() }), body: { content: { 'application/json': { schema: Anything } }, required: true } },
    responses: { 200: { description: 'Stored as a job; handled after the answer' }, 401: errors[401], 503: errors[503] },
  }))
  app.openAPIRegistry.registerPath(createRoute({
    method: 'get', path: '/metrics', tags: ['platform'], security: [{ Bearer: [] }],
    summary: 'Prometheus metrics (an admin’s token, or METRICS_TOKEN): requests, inbox depth and lag, dead deliveries, jobs, import rows, pool in use',
    responses: { 200: { description: 'Prometheus text format', content: { 'text/plain': { schema: z.string() } } }, 401: errors[401] },
  }))
}
