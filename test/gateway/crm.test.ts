import { createHmac } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { HUBSPOT_TOKEN, startFakeCrm, ZOHO_TOKEN } from '../helpers/fake-crm.ts'

const HUBSPOT_SECRET = 'hubspot-client-secret-for-tests'
const ZOHO_WEBHOOK_TOKEN = 'zoho-notify-token-for-tests'

type ContactJson = { id: string; name: string | null; mobile: string | null; email: string | null; company: string | null; source: string; otherMobiles: string[]; identities: { channel: string; externalId: string }[]; issues: { code: string; message: string }[]; address: Record<string, string> }
type ImportJson = { id: string; source: string; status: string; totalRows: number; imported: number; updated: number; duplicates: number; failed: number; failureReason: string | null }

let t: TestApp
let crm: Awaited<ReturnType<typeof startFakeCrm>>
beforeAll(async () => {
  crm = await startFakeCrm()
  t = await startTestApp({
    HUBSPOT_CLIENT_SECRET: HUBSPOT_SECRET, HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN, HUBSPOT_API_BASE: crm.hubspotBase,
    ZOHO_WEBHOOK_TOKEN, ZOHO_ACCESS_TOKEN: ZOHO_TOKEN, ZOHO_API_BASE: crm.zohoBase, ADMIN_RATE_LIMIT_PER_MINUTE: '100000',
  })
})
afterAll(async () => {
  await t.close()
  await crm.close()
})

/** A HubSpot webhook delivery, signed (v3) over the https URL HubSpot calls, as seen from behind a TLS proxy. */
function hubspotPush(events: Record<string, unknown>[], o: { secret?: string; ageMs?: number } = {}) {
  const body = JSON.stringify(events)
  const timestamp = String(Date.now() - (o.ageMs ?? 0))
  const signature = createHmac('sha256', o.secret ?? HUBSPOT_SECRET).update(`POSThttps://localhost/webhooks/hubspot${body}${timestamp}`).digest('base64')
  return t.app.request('/webhooks/hubspot', { method: 'POST', headers: { 'content-type': 'application/json', 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp }, body })
}

const event = (objectId: number, subscriptionType = 'contact.propertyChange') => ({
  eventId: objectId * 10, subscriptionId: 2_100_000, portalId: 62_515, appId: 1_160_452, occurredAt: Date.now(), subscriptionType, attemptNumber: 0, objectId, changeSource: 'CRM',
})

async function byIdentity(channel: string, externalId: string): Promise<ContactJson | undefined> {
  const [row] = await t.deps.sql<{ id: string }[]>`select contact_id as id from identities where channel = ${channel} and external_id = ${externalId}`
  return row === undefined ? undefined : json<ContactJson>(await t.call('GET', `/v1/contacts/${row.id}`))
}

function finished(id: string): Promise<ImportJson> {
  return vi.waitFor(async () => {
    const imp = await json<ImportJson>(await t.call('GET', `/v1/imports/${id}`))
    expect(imp.status, 'the sync is still in progress').not.toBe('in_progress')
    return imp
  }, { timeout: 30_000, interval: 25 })
}

describe('POST /webhooks/hubspot', () => {
  it('reads changed contacts back from HubSpot and keeps them, flagging a phone without a country code', async () => {
    crm.hubspot.set('501', { firstname: 'Hana', lastname: 'Sato', email: 'hana@sato.example', mobilephone: '+81 90-1234-5678', phone: '03 1234 5678', company: 'Sato KK', city: 'Tokyo', country: 'Japan', date_of_birth: '1988-02-03' })
    const res = await hubspotPush([event(501, 'contact.creation'), event(501)])
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ ok: true, imported: 1, updated: 0, failed: 0 })
    const contact = await byIdentity('hubspot', '501')
    expect(contact).toMatchObject({
      name: 'Hana Sato', mobile: '+819012345678', email: 'hana@sato.example', company: 'Sato KK', source: 'crm',
      address: { city: 'Tokyo', country: 'JP' }, identities: [{ channel: 'hubspot', externalId: '501' }],
    })
    expect(contact?.issues).toEqual([{ code: 'missing_country_code', message: expect.stringContaining('HubSpot phone "03 1234 5678" has no country code') }])
    const reads = crm.calls.filter((c) => c.path === '/hubspot/crm/v3/objects/contacts/501')
    expect(reads).toHaveLength(1)
    expect(reads[0]?.query.get('properties')?.split(',')).toEqual(expect.arrayContaining(['firstname', 'mobilephone', 'phone', 'date_of_birth']))
  })

  it('updates the contact already linked, or the one with the same email, instead of making a twin', async () => {
    const manual = await json<ContactJson>(await t.call('POST', '/v1/contacts', { name: 'Omar Haddad', email: 'omar@haddad.example' }))
    crm.hubspot.set('502', { firstname: 'Omar', lastname: 'Haddad', email: 'OMAR@haddad.example', mobilephone: '+971 50 123 4567', company: 'Haddad LLC' })
    expect(await json(await hubspotPush([event(502, 'contact.creation')]))).toMatchObject({ imported: 0, updated: 1 })
    const linked = await byIdentity('hubspot', '502')
    expect(linked).toMatchObject({ id: manual.id, mobile: '+971501234567', company: 'Haddad LLC', email: 'OMAR@haddad.example' })
    crm.hubspot.set('502', { ...crm.hubspot.get('502'), company: 'Haddad Group', mobilephone: '+971 50 765 4321' })
    expect(await json(await hubspotPush([event(502)]))).toMatchObject({ updated: 1 })
    const updated = await byIdentity('hubspot', '502')
    expect(updated).toMatchObject({ id: manual.id, company: 'Haddad Group', mobile: '+971507654321', otherMobiles: ['+971501234567'] })
  })

  it('refuses a bad, missing or expired signature with 401 and asks HubSpot nothing', async () => {
    const before = crm.calls.length
    for (const res of [await hubspotPush([event(501)], { secret: 'wrong' }), await hubspotPush([event(501)], { ageMs: 6 * 60_000 })]) expect(res.status).toBe(401)
    const unsigned = await t.app.request('/webhooks/hubspot', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[]' })
    expect(unsigned.status).toBe(401)
    expect(crm.calls.length).toBe(before)
  })

  it('ignores deletions and records HubSpot no longer has, and fails a record it cannot read with the property named', async () => {
    crm.hubspot.set('503', { firstname: 'Bad', email: 'not-an-email', mobilephone: '+44 7400 555666' })
    const res = await hubspotPush([event(503), event(999, 'contact.deletion'), event(998)])
    expect(await json(res)).toEqual({ ok: true, imported: 0, updated: 0, failed: 1 })
    expect(await byIdentity('hubspot', '503')).toBeUndefined()
  })
})

describe('POST /webhooks/zoho', () => {
  const notify = (ids: string[], o: { token?: string | null; operation?: string; header?: string } = {}) => t.app.request('/webhooks/zoho', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(o.header === undefined ? {} : { 'x-zoho-webhook-token': o.header }) },
    body: JSON.stringify({
      server_time: Date.now(), query_params: {}, module: 'Contacts', resource_uri: 'https://www.zohoapis.com/crm/v6/Contacts', ids,
      affected_fields: [], operation: o.operation ?? 'update', channel_id: '1000000068001', ...(o.token === null ? {} : { token: o.token ?? ZOHO_WEBHOOK_TOKEN }),
    }),
  })

  it('checks the token, reads the records back from Zoho and applies them', async () => {
    crm.zoho.set('4150868000000224005', { First_Name: 'Lucía', Last_Name: 'Gómez', Email: 'lucia@gomez.example', Mobile: '+34 612 345 678', Account_Name: { name: 'Gómez SL', id: '4150868000000224001' }, Mailing_Country: 'España', Date_of_Birth: '1991-07-14' })
    expect((await notify(['4150868000000224005'], { token: 'wrong' })).status).toBe(401)
    const res = await notify(['4150868000000224005'])
    expect(await json(res)).toEqual({ ok: true, imported: 1, updated: 0, failed: 0 })
    expect(await byIdentity('zoho', '4150868000000224005')).toMatchObject({ name: 'Lucía Gómez', mobile: '+34612345678', company: 'Gómez SL', address: { country: 'ES' }, source: 'crm' })
    expect((await notify(['4150868000000224005'], { token: null, header: ZOHO_WEBHOOK_TOKEN })).status).toBe(200)
    expect(await json(await notify(['4150868000000224005'], { operation: 'delete' }))).toEqual({ ok: true, imported: 0, updated: 0, failed: 0 })
  })

  it('answers 502 when Zoho cannot be reached, so the push is sent again', async () => {
    crm.failures.zohoDown = true
    try {
      const res = await notify(['4150868000000224005'])
      expect(res.status).toBe(502)
      expect(await json(res)).toMatchObject({ error: { code: 'upstream_unavailable' } })
    } finally {
      crm.failures.zohoDown = false
    }
  })
})

describe('POST /v1/sync/{hubspot|zoho}', () => {
  it('pulls every HubSpot contact page by page into the import history, accounting for every record', async () => {
    for (let i = 0; i < 230; i++) crm.hubspot.set(String(10_000 + i), { firstname: 'Sync', lastname: `Person ${i}`, email: `sync${i}@example.com`, mobilephone: i % 50 === 7 ? 'garbage' : null })
    const started = await t.call('POST', '/v1/sync/hubspot')
    expect(started.status).toBe(202)
    const { id } = await json<{ id: string }>(started)
    const imp = await finished(id)
    expect(imp).toMatchObject({ source: 'hubspot', status: 'completed', duplicates: 0 })
    expect(imp.totalRows).toBe(crm.hubspot.size)
    expect(imp.imported + imp.updated + imp.duplicates + imp.failed).toBe(imp.totalRows)
    // Five garbage phones, and the record with a bad email from the push test above.
    expect(imp.failed).toBe(6)
    const failures = await json<{ row: number; kind: string; reason: string; data: Record<string, string> }[]>(await t.call('GET', `/v1/imports/${id}/failures`))
    expect(failures.map((f) => f.reason.replace(/".*"/, '…')).sort()).toEqual([
      'HubSpot email: … is not a valid email address', ...Array(5).fill('HubSpot mobilephone: … contains characters that do not belong in a phone number'),
    ].sort())
    expect(failures.find((f) => f.reason.includes('mobilephone'))?.data).toMatchObject({ firstname: 'Sync', mobilephone: 'garbage' })
    expect(crm.calls.filter((c) => c.path === '/hubspot/crm/v3/objects/contacts' && c.method === 'GET').length).toBe(3)
    // Running it again changes nothing but counts everything as updated.
    const again = await finished((await json<{ id: string }>(await t.call('POST', '/v1/sync/hubspot'))).id)
    expect(again).toMatchObject({ imported: 0, updated: imp.imported + imp.updated, failed: 6 })
  })

  it('fails the sync with the reason when HubSpot stops answering, keeping what was saved', async () => {
    crm.failures.hubspotPagesBeforeFailure = 1
    try {
      const imp = await finished((await json<{ id: string }>(await t.call('POST', '/v1/sync/hubspot'))).id)
      expect(imp.status).toBe('failed')
      expect(imp.failureReason).toContain('HubSpot answered 503')
      expect(imp.totalRows).toBe(100)
    } finally {
      crm.failures.hubspotPagesBeforeFailure = Number.POSITIVE_INFINITY
    }
  })

  it('pulls Zoho too, and answers 503 for a CRM that is not configured', async () => {
    const imp = await finished((await json<{ id: string }>(await t.call('POST', '/v1/sync/zoho'))).id)
    expect(imp).toMatchObject({ source: 'zoho', status: 'completed', totalRows: crm.zoho.size })
    const bare = await startTestApp()
    try {
      expect((await bare.call('POST', '/v1/sync/hubspot')).status).toBe(503)
      expect((await bare.app.request('/webhooks/zoho', { method: 'POST', body: '{}' })).status).toBe(503)
      expect((await bare.app.request('/webhooks/hubspot', { method: 'POST', body: '[]' })).status).toBe(503)
    } finally {
      await bare.close()
    }
  })
})
