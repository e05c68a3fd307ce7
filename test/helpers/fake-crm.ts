import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export const HUBSPOT_TOKEN = 'pat-eu1-test-hubspot-token'
export const ZOHO_TOKEN = '1000.test-zoho-oauth-token'

type Call = { method: string; path: string; query: URLSearchParams; body: unknown }

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  return text === '' ? null : JSON.parse(text)
}

function send(res: ServerResponse, status: number, body?: unknown) {
  res.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' })
  res.end(body === undefined ? undefined : JSON.stringify(body))
}

/**
 * HubSpot's CRM v3 contacts API and Zoho CRM's Contacts API on one loopback server, with their request and
 * response JSON (tokens checked, paging, batch reads, their error bodies).
 */
export async function startFakeCrm() {
  const hubspot = new Map<string, Record<string, string | null>>()
  const zoho = new Map<string, Record<string, unknown>>()
  /** HubSpot's owners (GET /crm/v3/owners/{ownerId}): a contact names one in its hubspot_owner_id property. */
  const hubspotOwners = new Map<string, { email: string; firstName: string; lastName: string }>()
  const calls: Call[] = []
  /** Answer 503 to list requests after this many pages (to break a sync off), or to every request when 0. */
  const failures = { hubspotPagesBeforeFailure: Number.POSITIVE_INFINITY, zohoDown: false }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const body = await readBody(req)
      calls.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, body })
      const auth = req.headers.authorization ?? ''
      if (url.pathname.startsWith('/hubspot/')) {
        if (auth !== `Bearer ${HUBSPOT_TOKEN}`) return send(res, 401, { status: 'error', message: 'Authentication credentials not found.', category: 'INVALID_AUTHENTICATION' })
        const path = url.pathname.slice('/hubspot'.length)
        const object = (id: string) => ({ id, properties: { ...hubspot.get(id), hs_object_id: id }, createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-02T00:00:00Z', archived: false })
        if (req.method === 'POST' && path === '/crm/v3/objects/contacts/batch/read') {
          const ids = ((body as { inputs: { id: string }[] }).inputs ?? []).map((i) => i.id).filter((id) => hubspot.has(id))
          return send(res, 200, { status: 'COMPLETE', results: ids.map(object), startedAt: '2026-01-01T00:00:00Z', completedAt: '2026-01-01T00:00:01Z' })
        }
        const owner = /^\/crm\/v3\/owners\/(\d+)$/.exec(path)
        if (req.method === 'GET' && owner !== null) {
          const found = hubspotOwners.get(owner[1] as string)
          if (found === undefined) return send(res, 404, { status: 'error', message: 'Owner not found', correlationId: 'c0ffee', category: 'OBJECT_NOT_FOUND' })
          return send(res, 200, { id: owner[1], ...found, userId: 9_000_001, createdAt: '2025-01-01T00:00:00Z', updatedAt: '2025-01-01T00:00:00Z', archived: false, teams: [] })
        }
        const one = /^\/crm\/v3\/objects\/contacts\/(\d+)$/.exec(path)
        if (req.method === 'GET' && one !== null) {
          const id = one[1] as string
          if (!hubspot.has(id)) return send(res, 404, { status: 'error', message: 'resource not found', correlationId: 'c0ffee', category: 'OBJECT_NOT_FOUND' })
          return send(res, 200, object(id))
        }
        if (req.method === 'GET' && path === '/crm/v3/objects/contacts') {
          const limit = Number(url.searchParams.get('limit') ?? '10')
          const after = Number(url.searchParams.get('after') ?? '0')
          if (after / limit >= failures.hubspotPagesBeforeFailure) return send(res, 503, { status: 'error', message: 'Service unavailable', category: 'SERVICE_UNAVAILABLE' })
          const ids = [...hubspot.keys()].slice(after, after + limit)
          const next = after + limit < hubspot.size ? { paging: { next: { after: String(after + limit), link: `?after=${after + limit}` } } } : {}
          return send(res, 200, { results: ids.map(object), ...next })
        }
        return send(res, 404, { status: 'error', message: 'not found' })
      }
      if (url.pathname.startsWith('/zoho/')) {
        if (failures.zohoDown) return send(res, 503, { code: 'INTERNAL_ERROR', status: 'error', message: 'service unavailable' })
        if (auth !== `Zoho-oauthtoken ${ZOHO_TOKEN}`) return send(res, 401, { code: 'INVALID_TOKEN', details: {}, message: 'invalid oauth token', status: 'error' })
        const record = /^\/zoho\/crm\/v6\/Contacts\/(\d+)$/.exec(url.pathname)
        if (req.method === 'GET' && record !== null) {
          const id = record[1] as string
          return zoho.has(id) ? send(res, 200, { data: [{ id, ...zoho.get(id) }] }) : send(res, 204)
        }
        if (req.method === 'GET' && url.pathname === '/zoho/crm/v6/Contacts') {
          if (url.searchParams.get('fields') === null) return send(res, 400, { code: 'REQUIRED_PARAM_MISSING', details: { param_name: 'fields' }, message: 'One of the expected parameter is missing', status: 'error' })
          const ids = url.searchParams.get('ids')
          const perPage = Number(url.searchParams.get('per_page') ?? '200')
          const page = Number(url.searchParams.get('page') ?? '1')
          const all = ids !== null ? ids.split(',').filter((id) => zoho.has(id)) : [...zoho.keys()].slice((page - 1) * perPage, page * perPage)
          if (all.length === 0) return send(res, 204)
          const more = ids === null && page * perPage < zoho.size
          return send(res, 200, { data: all.map((id) => ({ id, ...zoho.get(id) })), info: { per_page: perPage, count: all.length, page, more_records: more, next_page_token: null } })
        }
        return send(res, 404, { code: 'INVALID_URL_PATTERN', message: 'Please check if the URL trying to access is a correct one', status: 'error' })
      }
      send(res, 404)
    })().catch(() => send(res, 500))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    hubspot, zoho, hubspotOwners, calls, failures,
    hubspotBase: `${base}/hubspot`,
    zohoBase: `${base}/zoho/crm/v6`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
