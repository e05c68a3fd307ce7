import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type ContactFields, type Identity } from '../../domain/contact.ts'
import { deactivateContact, findContactConflict, getActiveContact, insertContact, mergedInto, updateContactFields, type SaveResult } from '../../storage/contacts.ts'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database
const NOW = new Date('2026-11-20T10:00:00Z')
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

function insert(fields: Partial<ContactFields>, identities: Identity[] = []): Promise<SaveResult> {
  return insertContact(db.sql, {
    id: uuidv7(), fields: { ...EMPTY_CONTACT_FIELDS, ...fields }, ownerId: null, preference: 'reactive', source: 'manual', issues: [], identities, now: NOW,
  })
}

async function created(fields: Partial<ContactFields>): Promise<string> {
  const r = await insert(fields)
  if (!r.ok) throw new Error(`conflict on ${r.conflict.field}`)
  return r.contact.id
}

describe('contacts in storage', () => {
  it('refuses a second contact with a mobile or email another holds, also among its other mobiles and emails, and without case', async () => {
    const holder = await created({ name: 'Holder', mobile: '+447400100001', email: 'holder@example.com', otherMobiles: ['+447400100002'], otherEmails: ['alt@example.com'] })
    for (const fields of [{ mobile: '+447400100001' }, { mobile: '+447400100002' }, { email: 'HOLDER@example.com' }, { email: 'alt@example.com' }, { otherMobiles: ['+447400100001'] }]) {
      const r = await insert(fields)
      expect(r.ok ? null : r.conflict.existingId).toBe(holder)
    }
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from contacts`
    expect(row?.n).toBe(1)
  })

  it('refuses a channel id another contact holds', async () => {
    const first = await insert({ name: 'Scoped' }, [{ channel: 'messenger', externalId: 'PSID-1' }])
    const second = await insert({ name: 'Other' }, [{ channel: 'messenger', externalId: 'PSID-1' }])
    expect(second).toEqual({ ok: false, conflict: { existingId: first.ok ? first.contact.id : '', field: 'identity' } })
  })

  it('frees a deleted contact’s mobile and email for a new contact, and knows nothing merged about it', async () => {
    const gone = await created({ mobile: '+447400100010', email: 'gone@example.com' })
    expect(await deactivateContact(db.sql, gone, NOW)).toBe(true)
    expect(await deactivateContact(db.sql, gone, NOW)).toBe(false)
    expect(await getActiveContact(db.sql, gone)).toBeNull()
    expect(await mergedInto(db.sql, gone)).toBeNull()
    expect((await insert({ mobile: '+447400100010', email: 'gone@example.com' })).ok).toBe(true)
  })

  it('updates under a row lock: a change sees the current fields, a clash with another holder writes nothing, a rejection passes through', async () => {
    const a = await created({ name: 'Alpha', mobile: '+447400100020' })
    const b = await created({ name: 'Beta', mobile: '+447400100021' })
    const clash = await updateContactFields(db.sql, b, NOW, (current) => ({ ok: true, fields: { ...current, mobile: '+447400100020' }, preference: current.preference, ownerId: current.ownerId }))
    expect(clash).toEqual({ ok: false, conflict: { existingId: a, field: 'mobile' } })
    expect((await getActiveContact(db.sql, b))?.mobile).toBe('+447400100021')
    expect(await updateContactFields(db.sql, b, NOW, () => ({ ok: false, rejected: 'nope' }))).toEqual({ ok: false, rejected: 'nope' })
    const renamed = await updateContactFields(db.sql, b, NOW, (current) => ({ ok: true, fields: { ...current, name: `${current.name ?? ''} Two` }, preference: 'proactive', ownerId: null }))
    expect(renamed.ok && renamed.contact).toMatchObject({ name: 'Beta Two', preference: 'proactive', mobile: '+447400100021' })
    expect(await updateContactFields(db.sql, uuidv7(), NOW, () => ({ ok: false, rejected: 'unreached' }))).toEqual({ ok: false, notFound: true })
  })

  it('finds no conflict with the contact itself when it keeps its own keys', async () => {
    const self = await created({ mobile: '+447400100030', email: 'self@example.com' })
    expect(await findContactConflict(db.sql, { mobile: '+447400100030', email: 'SELF@example.com', otherMobiles: [], otherEmails: [] }, [], self)).toBeNull()
    expect(await findContactConflict(db.sql, { mobile: '+447400100030', email: null, otherMobiles: [], otherEmails: [] }, [], null)).toEqual({ existingId: self, field: 'mobile' })
  })
})
