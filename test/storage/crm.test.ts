import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ContactIssue } from '../../domain/contact.ts'
import type { ContactPatch } from '../../domain/validate.ts'
import { insertContact } from '../../storage/contacts.ts'
import { applyCrmRecord, recordCrmPage, type CrmOutcome } from '../../storage/crm.ts'
import type { Database } from '../../storage/db.ts'
import { createImport, finishImport, getImport, listImportRows } from '../../storage/imports/history.ts'
import { EMPTY_CONTACT_FIELDS } from '../../domain/contact.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database
const NOW = new Date('2026-11-20T10:00:00Z')
const NO_CODE: ContactIssue = { code: 'missing_country_code', message: 'HubSpot phone "0740" has no country code' }

beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

function apply(externalId: string, patch: ContactPatch, o: { issues?: ContactIssue[]; phoneGiven?: boolean } = {}): Promise<CrmOutcome> {
  return applyCrmRecord(db.sql, {
    system: 'hubspot', externalId, patch, issues: o.issues ?? [], phoneGiven: o.phoneGiven ?? patch.mobile !== undefined,
    ownerId: null, preference: 'reactive', newId: uuidv7, now: NOW,
  })
}

type Stored = { id: string; name: string | null; mobile: string | null; email: string | null; company: string | null; other_mobiles: string[]; other_emails: string[]; issues: ContactIssue[]; source: string; active: boolean }

async function stored(id: string): Promise<Stored & { identities: string[] }> {
  const [c] = await db.sql<Stored[]>`select id, name, mobile, email, company, other_mobiles, other_emails, issues, source, active from contacts where id = ${id}`
  if (c === undefined) throw new Error(`no contact ${id}`)
  const ids = await db.sql<{ key: string }[]>`select channel || ':' || external_id as key from identities where contact_id = ${id} order by 1`
  return { ...c, identities: ids.map((i) => i.key) }
}

function contactId(o: CrmOutcome): string {
  if (o.kind === 'failed') throw new Error(`not applied: ${o.reason}`)
  return o.contactId
}

async function manual(fields: { mobile?: string; email?: string; name?: string }): Promise<string> {
  const r = await insertContact(db.sql, {
    id: uuidv7(), fields: { ...EMPTY_CONTACT_FIELDS, name: fields.name ?? null, mobile: fields.mobile ?? null, email: fields.email ?? null },
    ownerId: null, preference: 'reactive', source: 'manual', issues: [], identities: [], now: NOW,
  })
  if (!r.ok) throw new Error('conflict')
  return r.contact.id
}

describe('applying a CRM record', () => {
  it('creates a contact with the CRM id as its identity and the record issues', async () => {
    const out = await apply('c-1', { name: 'Hana', email: 'hana@crm.example' }, { issues: [NO_CODE], phoneGiven: true })
    expect(out.kind).toBe('imported')
    expect(await stored(contactId(out))).toMatchObject({ name: 'Hana', email: 'hana@crm.example', source: 'crm', issues: [NO_CODE], identities: ['hubspot:c-1'] })
  })

  it('updates the linked contact on the next sync: the CRM values win, the old mobile stays as another, the issue is settled', async () => {
    const first = contactId(await apply('c-2', { name: 'Ian', mobile: '+447400200001', otherEmails: ['ian@old.example'] }, { issues: [NO_CODE] }))
    const again = await apply('c-2', { name: 'Ian Hall', mobile: '+447400200002', otherEmails: ['ian@new.example'] })
    expect(again).toEqual({ kind: 'updated', contactId: first })
    expect(await stored(first)).toMatchObject({
      name: 'Ian Hall', mobile: '+447400200002', other_mobiles: ['+447400200001'], other_emails: ['ian@old.example', 'ian@new.example'], issues: [], identities: ['hubspot:c-2'],
    })
  })

  it('matches a contact without a link by its email, whatever the case, and links it', async () => {
    const id = await manual({ name: 'Omar', email: 'omar@haddad.example' })
    expect(await apply('c-3', { email: 'OMAR@haddad.example', company: 'Haddad LLC' })).toEqual({ kind: 'updated', contactId: id })
    expect(await stored(id)).toMatchObject({ name: 'Omar', company: 'Haddad LLC', source: 'manual', identities: ['hubspot:c-3'] })
  })

  it('prefers the linked contact to the one that holds the record mobile, and then refuses to take that mobile', async () => {
    const linked = contactId(await apply('c-4', { email: 'pia@x.example' }))
    const holder = await manual({ mobile: '+447400200041' })
    const out = await apply('c-4', { mobile: '+447400200041' })
    expect(out).toEqual({ kind: 'failed', reason: `its mobile belongs to contact ${holder}, not to the contact it updates (${linked})` })
    expect((await stored(linked)).mobile).toBeNull()
  })

  // As before the merge rules moved to domain/: the identity check of a new contact counts identities of deleted
  // contacts too, so a record whose contact was deleted is refused rather than brought back.
  it('refuses a record whose linked contact was deleted, naming that contact', async () => {
    const gone = contactId(await apply('c-5', { email: 'quinn@x.example' }))
    await db.sql`update contacts set active = false where id = ${gone}`
    expect(await apply('c-5', { email: 'quinn@x.example', name: 'Quinn' })).toEqual({ kind: 'failed', reason: `its identity belongs to contact ${gone}` })
    expect((await stored(gone)).identities).toEqual(['hubspot:c-5'])
  })
})

describe('recording a page of a CRM sync', () => {
  it('adds the counts and keeps the failed records, also once the import is no longer in progress', async () => {
    const id = uuidv7()
    await createImport(db.sql, { id, source: 'hubspot', fileName: null, ownerId: null, onDuplicate: 'update', runnerId: uuidv7(), bytesTotal: null, now: NOW })
    await recordCrmPage(db.sql, id, [
      { row: 1, externalId: 'a', outcome: { kind: 'imported', contactId: uuidv7() }, data: ['a'] },
      { row: 2, externalId: 'b', outcome: { kind: 'failed', reason: 'HubSpot email: not valid' }, data: ['b', 'nope'] },
    ])
    await finishImport(db.sql, id, { status: 'failed', reason: 'stopped' }, NOW)
    await recordCrmPage(db.sql, id, [{ row: 3, externalId: 'c', outcome: { kind: 'updated', contactId: uuidv7() }, data: ['c'] }])
    expect(await getImport(db.sql, id)).toMatchObject({ totalRows: 3, imported: 1, updated: 1, failed: 1, duplicates: 0, bytesRead: 0 })
    expect(await listImportRows(db.sql, id, 0, 10)).toEqual([{ row: 2, kind: 'failed', reason: 'HubSpot email: not valid', errors: null, duplicateOf: null, data: ['b', 'nope'] }])
  })
})
