import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type ContactIssue } from '../../domain/contact.ts'
import { chooseCrmContact, crmConflictReason, crmRecordKeys, planCrmRecord, type MatchedContact } from '../../domain/crm-merge.ts'
import type { ContactPatch } from '../../domain/validate.ts'

const NO_CODE: ContactIssue = { code: 'missing_country_code', message: 'HubSpot phone "0740" has no country code' }

function matched(f: Partial<MatchedContact>): MatchedContact {
  return { ...EMPTY_CONTACT_FIELDS, id: 'c1', issues: [], ...f }
}

describe('a CRM record onto the book', () => {
  it('creates a contact of the record alone when none is matched', () => {
    const write = planCrmRecord({ patch: { name: 'Hana Sato', mobile: '+819012345678' }, issues: [], phoneGiven: true }, null)
    expect(write).toMatchObject({ kind: 'create', fields: { name: 'Hana Sato', mobile: '+819012345678', address: { country: 'JP' } }, issues: [] })
  })

  it('takes the CRM values, keeps the replaced mobile as another mobile, and adds other emails', () => {
    const current = matched({ name: 'Omar', mobile: '+447400000001', email: 'omar@x.example', company: 'Old', otherEmails: ['o@old.example'] })
    const write = planCrmRecord({ patch: { company: 'Haddad LLC', mobile: '+971501234567', otherEmails: ['o@new.example'] }, issues: [], phoneGiven: true }, current)
    expect(write).toMatchObject({
      kind: 'update', contactId: 'c1',
      fields: { name: 'Omar', email: 'omar@x.example', company: 'Haddad LLC', mobile: '+971501234567', otherMobiles: ['+447400000001'], otherEmails: ['o@old.example', 'o@new.example'] },
    })
  })

  it('replaces missing_country_code only when the record had a phone to judge', () => {
    const current = matched({ issues: [NO_CODE] })
    expect(planCrmRecord({ patch: { name: 'A' }, issues: [], phoneGiven: false }, current).issues).toEqual([NO_CODE])
    expect(planCrmRecord({ patch: { mobile: '+447400000001' }, issues: [], phoneGiven: true }, current).issues).toEqual([])
  })

  it('prefers the contact linked to the CRM id over the one holding its keys, and names both in a refusal', () => {
    expect(chooseCrmContact('linked', 'holder')).toBe('linked')
    expect(chooseCrmContact(null, 'holder')).toBe('holder')
    expect(chooseCrmContact(null, null)).toBeNull()
    const update = planCrmRecord({ patch: {}, issues: [], phoneGiven: false }, matched({ id: 'c7' }))
    expect(crmConflictReason(update, { field: 'email', existingId: 'c9' })).toBe('its email belongs to contact c9, not to the contact it updates (c7)')
    expect(crmConflictReason(planCrmRecord({ patch: {}, issues: [], phoneGiven: false }, null), { field: 'identity', existingId: 'c9' })).toBe('its identity belongs to contact c9')
  })

  it('locks the CRM id and every mobile and email of the record, emails without case', () => {
    const keys = crmRecordKeys('zoho', '42', { ...EMPTY_CONTACT_FIELDS, mobile: '+447400000001', email: 'Ann@X.example', otherMobiles: ['+447400000002'], otherEmails: [] })
    expect(keys).toEqual(['zoho:42', 'mobile:+447400000001', 'mobile:+447400000002', 'email:ann@x.example'])
  })
})

const MOBILES = ['+447400000001', '+447400000002', '+447400000003', '+14155550100']
const EMAILS = ['a@x.example', 'b@x.example', 'c@y.example']

const current = fc.record({
  mobile: fc.option(fc.constantFrom(...MOBILES), { nil: null }),
  email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
  otherMobiles: fc.uniqueArray(fc.constantFrom(...MOBILES), { maxLength: 3 }),
  otherEmails: fc.uniqueArray(fc.constantFrom(...EMAILS), { maxLength: 2 }),
  company: fc.option(fc.constantFrom('Acme', 'Initech'), { nil: null }),
}).map((f) => matched({ ...f, otherMobiles: f.otherMobiles.filter((m) => m !== f.mobile) }))

// What readCrmRecord can produce: only the values the CRM has, never a null.
const patch: fc.Arbitrary<ContactPatch> = fc.record({
  mobile: fc.constantFrom(...MOBILES),
  email: fc.constantFrom(...EMAILS),
  otherMobiles: fc.uniqueArray(fc.constantFrom(...MOBILES), { minLength: 1, maxLength: 2 }),
  otherEmails: fc.uniqueArray(fc.constantFrom(...EMAILS), { minLength: 1, maxLength: 2 }),
  company: fc.constantFrom('Acme', 'Haddad LLC'),
}, { requiredKeys: [] })

describe('a CRM record onto its contact, for any record and contact', () => {
  it('never drops a mobile or another email the contact had, and keeps every one the record brings', () => {
    fc.assert(fc.property(current, patch, fc.boolean(), (contact, p, phoneGiven) => {
      const write = planCrmRecord({ patch: p, issues: [], phoneGiven }, contact)
      const mobiles = [write.fields.mobile, ...write.fields.otherMobiles]
      for (const m of [contact.mobile, ...contact.otherMobiles, p.mobile, ...(p.otherMobiles ?? [])]) if (m !== null && m !== undefined) expect(mobiles).toContain(m)
      for (const e of [...contact.otherEmails, ...(p.otherEmails ?? [])]) expect(write.fields.otherEmails).toContain(e)
      if (p.email !== undefined && p.email !== null) expect(write.fields.email).toBe(p.email)
      else expect(write.fields.email).toBe(contact.email)
    }), { numRuns: 500 })
  })

  it('takes the record mobile as the primary, and lists no mobile twice', () => {
    fc.assert(fc.property(current, patch, (contact, p) => {
      const { fields } = planCrmRecord({ patch: p, issues: [], phoneGiven: true }, contact)
      expect(fields.mobile).toBe(p.mobile ?? contact.mobile)
      expect(fields.otherMobiles).not.toContain(fields.mobile)
      expect(new Set(fields.otherMobiles).size).toBe(fields.otherMobiles.length)
    }), { numRuns: 500 })
  })

  it('changes nothing the record does not carry', () => {
    fc.assert(fc.property(current, (contact) => {
      const write = planCrmRecord({ patch: {}, issues: [], phoneGiven: false }, contact)
      const { id: _id, issues, ...fields } = contact
      expect(write).toEqual({ kind: 'update', contactId: contact.id, fields: { ...fields, address: write.fields.address, countrySource: write.fields.countrySource }, issues })
    }), { numRuns: 200 })
  })
})
