import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../../helpers/app.ts'
import { importCsv, POLLING_ENV } from '../../helpers/imports.ts'

type Contact = { id: string; email: string | null; labels: string[]; fields: Record<string, unknown> }
type Page = { items: Contact[] }

// The columns Google Contacts' export has (abridged), with its "Labels" cell as Google writes it.
const GOOGLE = [
  'First Name,Last Name,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Labels,Tier',
  'Ada,Lovelace,ada@g.example,Mobile,+44 7400 900001,* myContacts ::: Friends ::: VIP,Gold',
  'Bob,Stone,bob@g.example,Mobile,+44 7400 900002,* myContacts ::: * starred ::: friends,platinum',
  'Cy,Young,cy@g.example,Mobile,+44 7400 900003,* myContacts,',
].join('\n')

describe('imports and labels, custom fields and lists', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp(POLLING_ENV)
    await t.call('POST', '/v1/fields', { key: 'tier', label: 'Tier', type: 'choice', choices: ['Gold', 'Silver'] })
  })
  afterAll(async () => t?.close())

  const byEmail = async (email: string) => (await json<Page>(await t.call('GET', `/v1/contacts?q=${encodeURIComponent(email)}`))).items[0] as Contact

  it('read Google’s Labels (not its system groups) and a column named like a custom field, typed, with a warning for a bad value', async () => {
    const { summary, failures } = await importCsv(t, GOOGLE)
    expect(summary).toMatchObject({ totalRows: 3, imported: 3, failed: 0, warnings: 1 })
    expect(failures[0]).toMatchObject({ row: 3, kind: 'warning' })
    expect(failures[0]?.reason).toContain('column "Tier" (G)')
    expect(await byEmail('ada@g.example')).toMatchObject({ labels: ['Friends', 'VIP'], fields: { tier: 'Gold' } })
    expect(await byEmail('bob@g.example')).toMatchObject({ labels: ['Friends'], fields: {} })
    expect((await byEmail('cy@g.example')).labels).toEqual([])
  })

  it('give the import’s labels to the contacts it creates or updates, and put every contact the file names in its list', async () => {
    const list = await json<{ id: string }>(await t.call('POST', '/v1/lists', { name: 'Fair 2026' }))
    const csv = 'email,tags\nada@g.example,Speaker\nnew-one@g.example,\n'
    const { summary } = await importCsv(t, csv, `?labels=${encodeURIComponent('Fair, 2026')}&listId=${list.id}`)
    expect(summary).toMatchObject({ totalRows: 2, imported: 1, duplicates: 1 })
    expect((await byEmail('new-one@g.example')).labels).toEqual(['2026', 'Fair'])
    // Skipped as a duplicate: not changed, but named by the file, so in the list.
    expect((await byEmail('ada@g.example')).labels).toEqual(['Friends', 'VIP'])
    const members = await json<Page>(await t.call('GET', `/v1/lists/${list.id}/members`))
    expect(members.items.map((c) => c.email).sort()).toEqual(['ada@g.example', 'new-one@g.example'])

    const updated = await importCsv(t, csv, '?onDuplicate=update&labels=Fair')
    expect(updated.summary).toMatchObject({ updated: 2 })
    expect((await byEmail('ada@g.example')).labels).toEqual(['Fair', 'Friends', 'Speaker', 'VIP'])
  })

  it('refuse an unknown list before reading the file', async () => {
    const res = await t.app.request('/v1/imports?listId=0194e3a0-0000-7000-8000-000000000000', {
      method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', 'content-type': 'text/csv' }, body: 'email\nx@y.example\n',
    })
    expect(res.status).toBe(422)
    expect(JSON.stringify(await res.json())).toContain('listId')
  })

  it('map any column to labels or a custom field by hand', async () => {
    const csv = 'email,Segment,Level\nmap1@g.example,Retail; Online,silver\n'
    const mapping = encodeURIComponent(JSON.stringify({ Segment: 'labels', Level: 'field:tier' }))
    const { summary } = await importCsv(t, csv, `?mapping=${mapping}`)
    expect(summary).toMatchObject({ imported: 1, warnings: 0 })
    expect(await byEmail('map1@g.example')).toMatchObject({ labels: ['Online', 'Retail'], fields: { tier: 'Silver' } })
    const bad = await t.app.request(`/v1/imports?mapping=${encodeURIComponent(JSON.stringify({ Level: 'field:nosuch' }))}`, {
      method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', 'content-type': 'text/csv' }, body: csv,
    })
    expect(bad.status).toBe(422)
  })

  it('export labels and custom fields so that the file imports back unchanged', async () => {
    const exported = await (await t.call('GET', '/v1/contacts/export.csv')).text()
    const before = await json<Page>(await t.call('GET', '/v1/contacts?limit=100'))
    const { summary } = await importCsv(t, exported)
    expect(summary).toMatchObject({ failed: 0, imported: 0, warnings: 0 })
    expect(await json<Page>(await t.call('GET', '/v1/contacts?limit=100'))).toEqual(before)

    const other = await startTestApp(POLLING_ENV)
    try {
      await other.call('POST', '/v1/fields', { key: 'tier', label: 'Tier', type: 'choice', choices: ['Gold', 'Silver'] })
      const copy = await importCsv(other, exported)
      expect(copy.summary).toMatchObject({ failed: 0, warnings: 0, imported: before.items.length })
      const ada = (await json<Page>(await other.call('GET', '/v1/contacts?q=ada@g.example'))).items[0]
      expect(ada).toMatchObject({ labels: ['Fair', 'Friends', 'Speaker', 'VIP'], fields: { tier: 'Gold' } })
    } finally {
      await other.close()
    }
  })
})
