import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

type ContactJson = Record<string, unknown> & { id: string; address: Record<string, string>; mobile: string | null }
type ErrorJson = { error: { code: string; message: string; details?: unknown } }
type PageJson = { items: ContactJson[]; nextCursor: string | null }

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ DEFAULT_COUNTRY: 'GB' })
})
afterAll(async () => {
  await t.close()
})

async function create(body: unknown): Promise<ContactJson> {
  const res = await t.call('POST', '/v1/contacts', body)
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return json<ContactJson>(res)
}

describe('POST /v1/contacts', () => {
  it('creates a contact in the contract shape, owned by the caller', async () => {
    const me = await json<{ id: string }>(await t.call('GET', '/v1/me'))
    const c = await create({
      name: 'Jane Doe', mobile: '07400 123123', email: 'Jane.Doe@Example.com', dateOfBirth: '1990-04-01', company: 'Acme',
      address: { street: '1 High St', city: 'London', zip: 'N1 1AA' }, social: { instagram: '@Jane.Doe', linkedin: 'https://www.linkedin.com/in/jane-doe/' },
    })
    expect(c).toMatchObject({
      name: 'Jane Doe', mobile: '+447400123123', email: 'Jane.Doe@Example.com', dateOfBirth: '1990-04-01', company: 'Acme',
      address: { street: '1 High St', city: 'London', zip: 'N1 1AA', country: 'GB' },
      social: { instagram: 'jane.doe', linkedin: 'jane-doe' },
      otherMobiles: [], otherEmails: [], ownerId: me.id, preference: 'reactive', identities: [], source: 'manual', issues: [], active: true,
    })
    expect(c).not.toHaveProperty('countrySource')
    expect(Date.parse(c.createdAt as string)).not.toBeNaN()
    const fetched = await json<ContactJson>(await t.call('GET', `/v1/contacts/${c.id}`))
    expect(fetched).toEqual(c)
  })

  it('answers 409 with the existing id for a mobile in another format', async () => {
    const first = await create({ name: 'Dup Mobile', mobile: '+44 7400 222333' })
    const res = await t.call('POST', '/v1/contacts', { name: 'Other', mobile: '0044 (0)7400-222-333' })
    expect(res.status).toBe(409)
    const body = await json<ErrorJson>(res)
    expect(body.error.code).toBe('duplicate_contact')
    expect(body.error.details).toEqual({ existingId: first.id, field: 'mobile' })
  })

  it('answers 409 for an email that differs only in case', async () => {
    const first = await create({ email: 'case@example.com' })
    const res = await t.call('POST', '/v1/contacts', { email: '  CASE@Example.COM ' })
    expect(res.status).toBe(409)
    expect((await json<ErrorJson>(res)).error.details).toEqual({ existingId: first.id, field: 'email' })
  })

  it('answers 409 when the mobile is another contact’s secondary mobile', async () => {
    const first = await create({ email: 'two-phones@example.com', otherMobiles: ['+34 612 34 56 70'] })
    const res = await t.call('POST', '/v1/contacts', { mobile: '+34612345670' })
    expect(res.status).toBe(409)
    expect((await json<ErrorJson>(res)).error.details).toMatchObject({ existingId: first.id })
  })

  it('never makes twins under concurrent creates', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => t.call('POST', '/v1/contacts', { mobile: '+447400999888' })))
    const statuses = results.map((r) => r.status).sort()
    expect(statuses).toEqual([201, ...Array(9).fill(409)])
  })

  it('names every invalid field and its problem', async () => {
    const res = await t.call('POST', '/v1/contacts', { mobile: '4.47E+11', email: 'nope', dateOfBirth: '1990-02-30', address: { country: 'Narnia' } })
    expect(res.status).toBe(422)
    const body = await json<ErrorJson>(res)
    expect(body.error.code).toBe('validation_failed')
    expect(body.error.details).toEqual([
      { field: 'mobile', code: 'excel_scientific_notation', message: expect.stringContaining('scientific notation') },
      { field: 'email', code: 'invalid_email', message: expect.any(String) },
      { field: 'dateOfBirth', code: 'invalid_date', message: expect.stringContaining('not a real calendar date') },
      { field: 'address.country', code: 'unknown_country', message: expect.any(String) },
    ])
  })

  it('rejects unknown fields and wrong types by name', async () => {
    const res = await t.call('POST', '/v1/contacts', { phone: '+447400123123', name: 42 })
    expect(res.status).toBe(422)
    const fields = ((await json<ErrorJson>(res)).error.details as { field: string }[]).map((d) => d.field).sort()
    expect(fields).toEqual(['name', 'phone'])
  })

  it('needs a mobile or an email', async () => {
    const res = await t.call('POST', '/v1/contacts', { name: 'Nobody' })
    expect(res.status).toBe(422)
    expect((await json<ErrorJson>(res)).error.details).toEqual([expect.objectContaining({ code: 'no_contact_point' })])
  })

  it('answers 400 for malformed JSON and 413 for a body over the limit', async () => {
    const bad = await t.call('POST', '/v1/contacts', '{"name": ')
    expect(bad.status).toBe(400)
    expect((await json<ErrorJson>(bad)).error.code).toBe('invalid_json')
    const big = await t.call('POST', '/v1/contacts', { name: 'x'.repeat(1024 * 1024 + 10) })
    expect(big.status).toBe(413)
    expect((await json<ErrorJson>(big)).error.code).toBe('payload_too_large')
  })

  it('accepts a country name and keeps it over the mobile’s country', async () => {
    const c = await create({ mobile: '+4915123456780', address: { country: 'España' } })
    expect(c.address.country).toBe('ES')
  })
})

describe('PATCH /v1/contacts/:id', () => {
  it('re-detects a detected country when the mobile changes, keeps an entered one', async () => {
    const detected = await create({ mobile: '+4915123456781' })
    expect(detected.address.country).toBe('DE')
    const moved = await json<ContactJson>(await t.call('PATCH', `/v1/contacts/${detected.id}`, { mobile: '+34 612 345 679' }))
    expect(moved.address.country).toBe('ES')

    const entered = await create({ mobile: '+4915123456782', address: { country: 'AT' } })
    const kept = await json<ContactJson>(await t.call('PATCH', `/v1/contacts/${entered.id}`, { mobile: '+34 612 345 678' }))
    expect(kept.address.country).toBe('AT')
  })

  it('changes only the fields sent; null clears', async () => {
    const c = await create({ name: 'Patchy', email: 'patchy@example.com', company: 'Old Co', preference: 'proactive' })
    const res = await t.call('PATCH', `/v1/contacts/${c.id}`, { company: null, name: 'Patchy McPatch' })
    expect(res.status).toBe(200)
    const next = await json<ContactJson>(res)
    expect(next).toMatchObject({ name: 'Patchy McPatch', company: null, email: 'patchy@example.com', preference: 'proactive' })
    expect(Date.parse(next.updatedAt as string)).toBeGreaterThanOrEqual(Date.parse(c.updatedAt as string))
  })

  it('answers 409 when the new mobile belongs to someone else, and changes nothing', async () => {
    const a = await create({ mobile: '+447400555001' })
    const b = await create({ mobile: '+447400555002' })
    const res = await t.call('PATCH', `/v1/contacts/${b.id}`, { mobile: '07400 555001' })
    expect(res.status).toBe(409)
    expect((await json<ErrorJson>(res)).error.details).toEqual({ existingId: a.id, field: 'mobile' })
    expect((await json<ContactJson>(await t.call('GET', `/v1/contacts/${b.id}`))).mobile).toBe('+447400555002')
  })

  it('refuses to remove the last way to reach the contact', async () => {
    const c = await create({ email: 'only@example.com' })
    const res = await t.call('PATCH', `/v1/contacts/${c.id}`, { email: null })
    expect(res.status).toBe(422)
  })

  it('rejects an owner that is not a user', async () => {
    const c = await create({ email: 'owned@example.com' })
    const res = await t.call('PATCH', `/v1/contacts/${c.id}`, { ownerId: '01900000-0000-7000-8000-000000000000' })
    expect(res.status).toBe(422)
    expect((await json<ErrorJson>(res)).error.details).toEqual([expect.objectContaining({ field: 'ownerId', code: 'unknown_user' })])
  })

  it('answers 404 for unknown and malformed ids', async () => {
    expect((await t.call('PATCH', '/v1/contacts/01900000-0000-7000-8000-000000000000', { name: 'x' })).status).toBe(404)
    expect((await t.call('GET', '/v1/contacts/not-an-id')).status).toBe(404)
  })
})

describe('DELETE /v1/contacts/:id', () => {
  it('removes the contact and frees its mobile and email', async () => {
    const c = await create({ mobile: '+447400666001', email: 'gone@example.com' })
    expect((await t.call('DELETE', `/v1/contacts/${c.id}`)).status).toBe(204)
    expect((await t.call('GET', `/v1/contacts/${c.id}`)).status).toBe(404)
    expect((await t.call('DELETE', `/v1/contacts/${c.id}`)).status).toBe(404)
    await create({ mobile: '+447400666001', email: 'gone@example.com' })
  })
})

describe('GET /v1/contacts (search)', () => {
  let target: ContactJson
  beforeAll(async () => {
    target = await create({ name: 'Searchable Person', mobile: '+447700123456', email: 'findme@searchco.example', company: 'Zebra Logistics' })
    await create({ name: 'Another Person', mobile: '+447400654321', email: 'other@searchco.example' })
  })

  it.each([['07700 123456'], ['+447700123456'], ['7700123456'], ['0044 7700 123 456'], ['+44 (0)7700-123-456'], ['123456']])(
    'finds the contact by phone written as %s',
    async (q) => {
      const page = await json<PageJson>(await t.call('GET', `/v1/contacts?q=${encodeURIComponent(q)}`))
      expect(page.items.map((c) => c.id)).toEqual([target.id])
    },
  )

  it.each([['searchable'], ['SEARCHA'], ['able pers'], ['findme@searchco'], ['zebra'], ['LOGISTICS']])('finds it by %s', async (q) => {
    const page = await json<PageJson>(await t.call('GET', `/v1/contacts?q=${encodeURIComponent(q)}`))
    expect(page.items.map((c) => c.id)).toContain(target.id)
    expect(page.items.every((c) => c.id === target.id || c.name !== 'Another Person')).toBe(true)
  })

  it('finds a whole email address exactly, whatever its case', async () => {
    const page = await json<PageJson>(await t.call('GET', `/v1/contacts?q=${encodeURIComponent('FINDME@SearchCo.example')}`))
    expect(page.items.map((c) => c.id)).toEqual([target.id])
  })

  it('pages through phone matches with the cursor', async () => {
    const ids: string[] = []
    for (const mobile of ['+447400555777', '+4915123555777', '+34612555777']) ids.push((await create({ mobile })).id)
    const first = await json<PageJson>(await t.call('GET', '/v1/contacts?q=555777&limit=2'))
    expect(first.items.map((c) => c.id)).toEqual([ids[2], ids[1]])
    expect(first.nextCursor).not.toBeNull()
    const second = await json<PageJson>(await t.call('GET', `/v1/contacts?q=555777&limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`))
    expect(second).toEqual({ items: [expect.objectContaining({ id: ids[0] })], nextCursor: null })
  })

  it('treats LIKE wildcards in the query literally', async () => {
    const page = await json<PageJson>(await t.call('GET', `/v1/contacts?q=${encodeURIComponent('%_%')}`))
    expect(page.items).toEqual([])
  })

  it('pages through everything exactly once, newest first', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const query: string = cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`
      const page: PageJson = await json<PageJson>(await t.call('GET', `/v1/contacts?limit=3${query}`))
      expect(page.items.length).toBeLessThanOrEqual(3)
      seen.push(...page.items.map((c) => c.id))
      cursor = page.nextCursor
    } while (cursor !== null)
    const all = await json<PageJson>(await t.call('GET', '/v1/contacts?limit=100'))
    expect(seen).toEqual(all.items.map((c) => c.id))
    expect(new Set(seen).size).toBe(seen.length)
    expect([...seen].sort().reverse()).toEqual(seen)
  })

  it('rejects a bad limit or cursor with a reason', async () => {
    expect((await t.call('GET', '/v1/contacts?limit=0')).status).toBe(400)
    expect((await t.call('GET', '/v1/contacts?limit=1000')).status).toBe(400)
    const res = await t.call('GET', '/v1/contacts?cursor=garbage')
    expect(res.status).toBe(400)
    expect((await json<ErrorJson>(res)).error.code).toBe('malformed_request')
  })
})
