import { describe, expect, it } from 'vitest'
import { readCrmRecord, type CrmField } from '../../domain/crm.ts'

const PROPS: Record<CrmField, string> = {
  firstName: 'First_Name', lastName: 'Last_Name', email: 'Email', otherEmails: 'Secondary_Email', mobile: 'Mobile', phone: 'Phone',
  company: 'Account_Name', street: 'Mailing_Street', city: 'Mailing_City', state: 'Mailing_State', zip: 'Mailing_Zip', country: 'Mailing_Country', dateOfBirth: 'Date_of_Birth',
}
const TODAY = '2026-11-23'

describe('readCrmRecord', () => {
  it('sets only what the CRM has, normalized like manual entry', () => {
    const read = readCrmRecord('zoho', { id: '42', values: { firstName: 'Ana', lastName: null, email: ' Ana@X.example ', mobile: '+34 612 345 678', phone: '+34 699 000 111', country: 'Spain', dateOfBirth: '1990-01-02T00:00:00Z' } }, PROPS, TODAY)
    expect(read).toEqual({
      ok: true, externalId: '42', issues: [], phoneGiven: true,
      patch: { name: 'Ana', email: 'Ana@X.example', mobile: '+34612345678', otherMobiles: ['+34699000111'], dateOfBirth: '1990-01-02', address: { country: 'ES' } },
    })
  })

  it('flags a phone without a country code instead of failing the record, and never uses DEFAULT_COUNTRY', () => {
    const read = readCrmRecord('hubspot', { id: '7', values: { email: 'b@x.example', mobile: '07400 123456' } }, { ...PROPS, mobile: 'mobilephone' }, TODAY)
    expect(read.ok).toBe(true)
    if (!read.ok) return
    expect(read.patch).toEqual({ email: 'b@x.example' })
    expect(read.issues).toEqual([{ code: 'missing_country_code', message: expect.stringContaining('HubSpot mobilephone "07400 123456" has no country code') }])
    expect(read.phoneGiven).toBe(true)
  })

  it('fails a record with another bad value, naming the CRM property', () => {
    const read = readCrmRecord('zoho', { id: '9', values: { email: 'nope', dateOfBirth: '2999-01-01', mobile: '+44 7400 123456' } }, PROPS, TODAY)
    expect(read).toEqual({ ok: false, externalId: '9', reason: expect.stringMatching(/^Zoho Email: .*; Zoho Date_of_Birth: .*future/) })
  })

  it('reads a record with no phone as not deciding the phone issue', () => {
    const read = readCrmRecord('zoho', { id: '10', values: { email: 'c@x.example' } }, PROPS, TODAY)
    expect(read.ok && read.phoneGiven).toBe(false)
  })
})
