import type { CrmField, CrmRecord } from '../../domain/crm.ts'
import { crmJson, propertyText, readEach, type CrmClient } from './crm-client.ts'

const PROPERTIES: Record<CrmField, string> = {
  firstName: 'firstname', lastName: 'lastname', email: 'email', otherEmails: 'hs_additional_emails', mobile: 'mobilephone', phone: 'phone',
  company: 'company', street: 'address', city: 'city', state: 'state', zip: 'zip', country: 'country', dateOfBirth: 'date_of_birth',
}
const PAGE_SIZE = 100
const FIELDS = Object.entries(PROPERTIES) as [CrmField, string][]

type HubSpotObject = { id?: unknown; properties?: Record<string, unknown> }

function recordOf(o: HubSpotObject): CrmRecord | null {
  const id = propertyText(o.id)
  if (id === null) return null
  const values: CrmRecord['values'] = {}
  for (const [field, property] of FIELDS) values[field] = propertyText(o.properties?.[property])
  return { id, values }
}

function results(body: unknown): CrmRecord[] {
  const list = typeof body === 'object' && body !== null && 'results' in body && Array.isArray(body.results) ? (body.results as HubSpotObject[]) : []
  return list.map(recordOf).filter((r): r is CrmRecord => r !== null)
}

/** HubSpot's CRM API v3: each contact a webhook names read by id, the paged list for syncs (Bearer private-app token). */
export function hubspotClient(apiBase: string, accessToken: string): CrmClient {
  const headers = { authorization: `Bearer ${accessToken}` }
  const base = apiBase.replace(/\/$/, '')
  return {
    system: 'hubspot',
    properties: PROPERTIES,
    async fetchByIds(ids) {
      const query = new URLSearchParams({ properties: Object.values(PROPERTIES).join(',') })
      return readEach(ids, async (id) => {
        const body = await crmJson('HubSpot', `${base}/crm/v3/objects/contacts/${encodeURIComponent(id)}?${query}`, headers, { missingIsNull: true })
        return body === null ? null : recordOf(body as HubSpotObject)
      })
    },
    async *pages() {
      let after: string | null = null
      do {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE), properties: Object.values(PROPERTIES).join(',') })
        if (after !== null) query.set('after', after)
        const body = await crmJson('HubSpot', `${base}/crm/v3/objects/contacts?${query}`, headers)
        yield results(body)
        const paging = (body as { paging?: { next?: { after?: unknown } } } | null)?.paging
        after = propertyText(paging?.next?.after)
      } while (after !== null)
    },
  }
}
