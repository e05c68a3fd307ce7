import type { CrmField, CrmRecord } from '../../domain/crm.ts'
import { crmJson, propertyText, readEach, type CrmClient } from './crm-client.ts'
import { ownerEmails } from './hubspot-owners.ts'

const PROPERTIES: Record<CrmField, string> = {
  firstName: 'firstname', lastName: 'lastname', email: 'email', otherEmails: 'hs_additional_emails', mobile: 'mobilephone', phone: 'phone',
  company: 'company', street: 'address', city: 'city', state: 'state', zip: 'zip', country: 'country', dateOfBirth: 'date_of_birth',
}
const PAGE_SIZE = 100
const FIELDS = Object.entries(PROPERTIES) as [CrmField, string][]

type HubSpotObject = { id?: unknown; properties?: Record<string, unknown> }

const OWNER_PROPERTY = 'hubspot_owner_id'
const REQUESTED = [...Object.values(PROPERTIES), OWNER_PROPERTY].join(',')

type Read = { record: CrmRecord; ownerId: string | null }

function recordOf(o: HubSpotObject): Read | null {
  const id = propertyText(o.id)
  if (id === null) return null
  const values: CrmRecord['values'] = {}
  for (const [field, property] of FIELDS) values[field] = propertyText(o.properties?.[property])
  return { record: { id, values }, ownerId: propertyText(o.properties?.[OWNER_PROPERTY]) }
}

function results(body: unknown): Read[] {
  const list = typeof body === 'object' && body !== null && 'results' in body && Array.isArray(body.results) ? (body.results as HubSpotObject[]) : []
  return list.map(recordOf).filter((r): r is Read => r !== null)
}

/** HubSpot's CRM API v3: each contact a webhook names read by id, the paged list for syncs (Bearer private-app token). */
export function hubspotClient(apiBase: string, accessToken: string): CrmClient {
  const headers = { authorization: `Bearer ${accessToken}` }
  const base = apiBase.replace(/\/$/, '')
  const owners = ownerEmails(base, headers)
  const withOwners = async (reads: Read[]): Promise<CrmRecord[]> => {
    const emails = await owners(reads.flatMap((r) => (r.ownerId === null ? [] : [r.ownerId])))
    return reads.map((r) => ({ ...r.record, ownerEmail: r.ownerId === null ? null : (emails.get(r.ownerId) ?? null) }))
  }
  return {
    system: 'hubspot',
    properties: PROPERTIES,
    async fetchByIds(ids) {
      const query = new URLSearchParams({ properties: REQUESTED })
      const reads: Read[] = []
      await readEach(ids, async (id) => {
        const body = await crmJson('HubSpot', `${base}/crm/v3/objects/contacts/${encodeURIComponent(id)}?${query}`, headers, { missingIsNull: true })
        const read = body === null ? null : recordOf(body as HubSpotObject)
        if (read !== null) reads.push(read)
        return read?.record ?? null
      })
      const order = new Map(ids.map((id, i) => [id, i]))
      return withOwners(reads.sort((a, b) => (order.get(a.record.id) ?? 0) - (order.get(b.record.id) ?? 0)))
    },
    async *pages() {
      let after: string | null = null
      do {
        const query = new URLSearchParams({ limit: String(PAGE_SIZE), properties: REQUESTED })
        if (after !== null) query.set('after', after)
        const body = await crmJson('HubSpot', `${base}/crm/v3/objects/contacts?${query}`, headers)
        yield await withOwners(results(body))
        const paging = (body as { paging?: { next?: { after?: unknown } } } | null)?.paging
        after = propertyText(paging?.next?.after)
      } while (after !== null)
    },
  }
}
