import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import { CRM_SYSTEMS, type CrmSystem } from '../../../domain/crm.ts'
import { applyCrmPush, startCrmSync } from '../../actions/crm.ts'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { limitBody } from '../middleware/body-limit.ts'
import { errorResponses, ErrorSchema, jsonContent } from '../schemas.ts'
import { secretsEqual, verifyHubSpotSignature } from '../signature.ts'
import { validationHook } from '../validation.ts'
import { refuseUnsigned, webhookJson } from '../webhook-input.ts'

const security = [{ Bearer: [] }]

/** HubSpot webhook events that mean a contact's record changed (deletions are left alone: the contact may have chats). */
function changedHubSpotContacts(payload: unknown): string[] {
  if (!Array.isArray(payload)) throw new AppError('malformed_request', 'HubSpot sends an array of events.')
  return payload.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return []
    const { subscriptionType, objectId } = e as { subscriptionType?: unknown; objectId?: unknown }
    if (typeof subscriptionType !== 'string' || !subscriptionType.startsWith('contact.') || subscriptionType.includes('eletion')) return []
    return typeof objectId === 'number' || typeof objectId === 'string' ? [String(objectId)] : []
  })
}

/** CRM pushes (webhooks) and pulls (syncs into the import history). */
export function crmRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  const webhookLimit = limitBody((c) => c.var.deps.config.limits.webhookBodyBytes, (max) => `Webhook bodies are limited to ${max} bytes.`)

  app.post('/webhooks/hubspot', webhookLimit, async (c) => {
    const { deps } = c.var
    const { clientSecret, accessToken } = deps.config.hubspot
    if (clientSecret === undefined || accessToken === undefined) throw new AppError('not_configured', 'HUBSPOT_CLIENT_SECRET and HUBSPOT_ACCESS_TOKEN must be set; HubSpot pushes are off.')
    const body = await c.req.text()
    const signed = verifyHubSpotSignature(clientSecret, {
      method: c.req.method, url: c.req.url, body, timestamp: c.req.header('x-hubspot-request-timestamp'), signature: c.req.header('x-hubspot-signature-v3'), now: deps.now().getTime(),
    })
    if (!signed) await refuseUnsigned(c, 'Missing, invalid or expired X-HubSpot-Signature-v3.')
    const tally = await applyCrmPush(deps, 'hubspot', changedHubSpotContacts(webhookJson(body, deps.logger)))
    return c.json({ ok: true, ...tally }, 200)
  })

  app.post('/webhooks/zoho', webhookLimit, async (c) => {
    const { deps } = c.var
    const { webhookToken, accessToken } = deps.config.zoho
    if (webhookToken === undefined || accessToken === undefined) throw new AppError('not_configured', 'ZOHO_WEBHOOK_TOKEN and ZOHO_ACCESS_TOKEN must be set; Zoho pushes are off.')
    const text = await c.req.text()
    const payload = webhookJson(text, deps.logger)
    const n = (typeof payload === 'object' && payload !== null ? payload : {}) as { token?: unknown; module?: unknown; operation?: unknown; ids?: unknown }
    const given = typeof n.token === 'string' ? n.token : c.req.header('x-zoho-webhook-token')
    if (!(await secretsEqual(webhookToken, given))) await refuseUnsigned(c, 'Missing or wrong Zoho notification token.')
    if (n.module !== 'Contacts' || n.operation === 'delete' || !Array.isArray(n.ids)) return c.json({ ok: true, imported: 0, updated: 0, failed: 0 }, 200)
    const ids = n.ids.flatMap((id: unknown) => (typeof id === 'string' || typeof id === 'number' ? [String(id)] : []))
    return c.json({ ok: true, ...(await applyCrmPush(deps, 'zoho', ids)) }, 200)
  })

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/sync/{system}', tags: ['imports'], security,
      summary: 'Pull every contact from the CRM; recorded in the import history with source hubspot or zoho',
      request: { params: z.object({ system: z.enum(CRM_SYSTEMS).openapi({ param: { name: 'system', in: 'path' } }) }) },
      responses: { 202: jsonContent(z.object({ id: z.string(), status: z.literal('in_progress') }).openapi('SyncStarted'), 'Started'), 503: jsonContent(ErrorSchema, 'The CRM is not configured'), ...errorResponses },
    }),
    async (c) => {
      const system: CrmSystem = c.req.valid('param').system
      const { id } = await startCrmSync(c.var.deps, system, c.var.user)
      return c.json({ id, status: 'in_progress' as const }, 202)
    },
  )
  return app
}
