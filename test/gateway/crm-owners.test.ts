import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { HUBSPOT_TOKEN, startFakeCrm, ZOHO_TOKEN } from '../helpers/fake-crm.ts'

const HUBSPOT_SECRET = 'hubspot-client-secret-for-owners'

let t: TestApp
let crm: Awaited<ReturnType<typeof startFakeCrm>>
let agent: { id: string }
let fallback: { id: string }
beforeAll(async () => {
  crm = await startFakeCrm()
  t = await startTestApp({
    HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET, HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN, HUBSPOT_API_BASE: crm.hubspotBase,
    ZOHO_ACCESS_TOKEN: ZOHO_TOKEN, ZOHO_API_BASE: crm.zohoBase, CRM_DEFAULT_OWNER: 'Desk@Example.com',
  })
  agent = await json(await t.call('POST', '/v1/users', { name: 'Olga Owner', role: 'agent', email: 'olga@example.com' }))
  fallback = await json(await t.call('POST', '/v1/users', { name: 'Front Desk', role: 'agent', email: 'desk@example.com' }))
})
afterAll(async () => {
  await t.close()
  await crm.close()
})

async function ownerOf(channel: string, externalId: string): Promise<string | null> {
  const [row] = await t.deps.sql<{ owner_id: string | null }[]>`
    select c.owner_id from identities i join contacts c on c.id = i.contact_id where i.channel = ${channel} and i.external_id = ${externalId}`
  return row?.owner_id ?? null
}

function hubspotPush(objectIds: number[]) {
  const body = JSON.stringify(objectIds.map((objectId) => ({ eventId: objectId, subscriptionId: 1, portalId: 2, appId: 3, occurredAt: Date.now(), subscriptionType: 'contact.creation', attemptNumber: 0, objectId, changeSource: 'CRM' })))
  const timestamp = String(Date.now())
  const signature = createHmac('sha256', HUBSPOT_SECRET).update(`POSThttps://localhost/webhooks/hubspot${body}${timestamp}`).digest('base64')
  return t.app.request('/webhooks/hubspot', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body })
}

describe('owners of contacts a CRM creates', () => {
  it('Zoho: the user with the record Owner’s email, else CRM_DEFAULT_OWNER, read through a sync', async () => {
    crm.zoho.set('9001', { First_Name: 'Zia', Last_Name: 'Owned', Email: 'zia@zoho.example', Owner: { name: 'Olga', id: '4150868000000225013', email: 'OLGA@example.com' } })
    crm.zoho.set('9002', { First_Name: 'Zed', Last_Name: 'Stranger', Email: 'zed@zoho.example', Owner: { name: 'Someone', id: '4150868000000225099', email: 'someone@elsewhere.example' } })
    const started = await json<{ id: string }>(await t.call('POST', '/v1/sync/zoho'))
    await vi.waitFor(async () => expect((await json<{ status: string }>(await t.call('GET', `/v1/imports/${started.id}`))).status).toBe('completed'), { timeout: 20_000 })
    expect(await ownerOf('zoho', '9001')).toBe(agent.id)
    expect(await ownerOf('zoho', '9002')).toBe(fallback.id)
    expect(crm.calls.find((c) => c.path.endsWith('/Contacts'))?.query.get('fields')).toContain('Owner')
  })

  it('HubSpot: the contact owner’s email read through the owners API, once per owner; no owner at all → the fallback', async () => {
    crm.hubspotOwners.set('77', { email: 'olga@example.com', firstName: 'Olga', lastName: 'Owner' })
    crm.hubspot.set('801', { firstname: 'Hal', email: 'hal@hub.example', hubspot_owner_id: '77' })
    crm.hubspot.set('802', { firstname: 'Hil', email: 'hil@hub.example', hubspot_owner_id: '77' })
    crm.hubspot.set('803', { firstname: 'Hob', email: 'hob@hub.example' })
    expect((await hubspotPush([801, 802, 803])).status).toBe(200)
    expect(await ownerOf('hubspot', '801')).toBe(agent.id)
    expect(await ownerOf('hubspot', '802')).toBe(agent.id)
    expect(await ownerOf('hubspot', '803')).toBe(fallback.id)
    expect(crm.calls.filter((c) => c.path.endsWith('/crm/v3/owners/77'))).toHaveLength(1)
  })

  it('writes what a CRM created and changed in the contact’s history, with the CRM, its record and a sync’s import', async () => {
    const [row] = await t.deps.sql<{ id: string }[]>`select contact_id as id from identities where channel = 'hubspot' and external_id = '801'`
    crm.hubspot.set('801', { firstname: 'Hal', email: 'hal@hub.example', company: 'Hub Ltd', hubspot_owner_id: '77' })
    const started = await json<{ id: string }>(await t.call('POST', '/v1/sync/hubspot'))
    await vi.waitFor(async () => expect((await json<{ status: string }>(await t.call('GET', `/v1/imports/${started.id}`))).status).toBe('completed'), { timeout: 20_000 })
    const items = (await json<{ items: Record<string, unknown>[] }>(await t.call('GET', `/v1/contacts/${row?.id ?? ''}/history`))).items
    expect(items[0]).toMatchObject({ kind: 'updated', source: 'crm', importId: started.id, crm: { system: 'hubspot', recordId: '801' }, changes: { company: { from: null, to: 'Hub Ltd' } } })
    expect(items.at(-1)).toMatchObject({ kind: 'created', source: 'crm', crm: { system: 'hubspot', recordId: '801' } })
  })

  it('without CRM_DEFAULT_OWNER the built-in admin owns them', async () => {
    const other = await startTestApp({ ZOHO_ACCESS_TOKEN: ZOHO_TOKEN, ZOHO_API_BASE: crm.zohoBase })
    try {
      const started = await json<{ id: string }>(await other.call('POST', '/v1/sync/zoho'))
      await vi.waitFor(async () => expect((await json<{ status: string }>(await other.call('GET', `/v1/imports/${started.id}`))).status).toBe('completed'), { timeout: 20_000 })
      const builtin = await json<{ id: string }>(await other.call('GET', '/v1/me'))
      const owners = await other.deps.sql<{ owner_id: string }[]>`select owner_id from contacts where source = 'crm'`
      expect(owners.map((o) => o.owner_id)).toEqual([builtin.id, builtin.id])
    } finally {
      await other.close()
    }
  })
})
