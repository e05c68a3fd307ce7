import type { CrmField, CrmRecord } from '../../domain/crm.ts'
import { crmJson, propertyText, readEach, type CrmClient } from './crm-client.ts'

const PROPERTIES: Record<CrmField, string> = {
  firstName: 'First_Name', lastName: 'Last_Name', email: 'Email', otherEmails: 'Secondary_Email', mobile: 'Mobile', phone: 'Phone',
  company: 'Account_Name', street: 'Mailing_Street', city: 'Mailing_City', state: 'Mailing_State', zip: 'Mailing_Zip', country: 'Mailing_Country',
  dateOfBirth: 'Date_of_Birth',
}
const PAGE_SIZE = 200
const FIELDS = Object.entries(PROPERTIES) as [CrmField, string][]

function records(body: unknown): CrmRecord[] {
  const data = typeof body === 'object' && body !== null && 'data' in body && Array.isArray(body.data) ? (body.data as Record<string, unknown>[]) : []
  return data.flatMap((d) => {
    const id = propertyText(d.id)
    if (id === null) return []
    const values: CrmRecord['values'] = {}
    for (const [field, property] of FIELDS) values[field] = propertyText(d[property])
    // Zoho sends the owner as a lookup: {"name", "id", "email"}.
    const owner = d.Owner
    const ownerEmail = typeof owner === 'object' && owner !== null && 'email' in owner && typeof owner.email === 'string' ? owner.email : null
    return [{ id, values, ownerEmail }]
  })
}

/** Zoho CRM's REST API (v6 by default): each record a notification names read by id, the paged list for syncs (Zoho-oauthtoken). */
export function zohoClient(apiBase: string, accessToken: string): CrmClient {
  const headers = { authorization: `Zoho-oauthtoken ${accessToken}` }
  const base = apiBase.replace(/\/$/, '')
  const fields = [...Object.values(PROPERTIES), 'Owner'].join(',')
  return {
    system: 'zoho',
    properties: PROPERTIES,
    async fetchByIds(ids) {
      const query = new URLSearchParams({ fields })
      return readEach(ids, async (id) => {
        const body = await crmJson('Zoho', `${base}/Contacts/${encodeURIComponent(id)}?${query}`, headers, { missingIsNull: true })
        return records(body)[0] ?? null
      })
    },
    async *pages() {
      let page = 1
      let pageToken: string | null = null
      for (;;) {
        const query = new URLSearchParams({ fields, per_page: String(PAGE_SIZE) })
        // Zoho pages by number up to 2,000 records and by page_token beyond.
        if (pageToken !== null) query.set('page_token', pageToken)
        else query.set('page', String(page))
        const body = await crmJson('Zoho', `${base}/Contacts?${query}`, headers)
        yield records(body)
        const info = (body as { info?: { more_records?: unknown; next_page_token?: unknown } } | null)?.info
        if (info?.more_records !== true) return
        pageToken = propertyText(info.next_page_token)
        page++
      }
    },
  }
}
