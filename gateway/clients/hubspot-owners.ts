import { crmJson, propertyText } from './crm-client.ts'

// Owners change rarely and a sync names the same few over and over: each is asked once per ten minutes.
const TTL_MS = 10 * 60_000
const cache = new Map<string, { email: string | null; at: number }>()

/**
 * The emails of HubSpot owners by id, through the owners API (GET /crm/v3/owners/{ownerId}), cached per API base
 * and owner for ten minutes. An owner HubSpot no longer has (404) has no email; a HubSpot that does not answer
 * fails the read like any other CRM call.
 */
export function ownerEmails(base: string, headers: Record<string, string>, now: () => number = Date.now): (ids: string[]) => Promise<Map<string, string | null>> {
  return async (ids) => {
    const out = new Map<string, string | null>()
    for (const id of new Set(ids)) {
      const key = `${base} ${id}`
      const hit = cache.get(key)
      if (hit !== undefined && now() - hit.at < TTL_MS) {
        out.set(id, hit.email)
        continue
      }
      const body = await crmJson('HubSpot', `${base}/crm/v3/owners/${encodeURIComponent(id)}`, headers, { missingIsNull: true })
      const email = body !== null && typeof body === 'object' && 'email' in body ? propertyText(body.email) : null
      cache.set(key, { email, at: now() })
      out.set(id, email)
    }
    return out
  }
}
