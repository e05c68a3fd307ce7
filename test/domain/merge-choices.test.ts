import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type Contact } from '../../domain/contact.ts'
import { mergeContacts } from '../../domain/merge.ts'
import { checkMergeChoices, compareForMerge, MERGE_FIELDS } from '../../domain/merge-choices.ts'

function contact(over: Partial<Contact>): Contact {
  return {
    ...EMPTY_CONTACT_FIELDS, id: 'x', labels: [], fields: {}, ownerId: null, preference: 'proactive', identities: [], source: 'manual', issues: [], active: true,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...over,
  }
}

describe('merging with a choice per field', () => {
  const primary = contact({ id: 'p', name: 'Ann Lee', email: 'ann@old.example', mobile: '+447400000001', ownerId: 'u1', address: { city: 'Leeds', country: 'GB' } })
  const other = contact({ id: 'd', name: 'Ann Lee', email: 'ann@new.example', company: 'Acme', ownerId: 'u2', address: { city: 'Paris', country: 'FR' } })

  it('says per field whether the contacts agree, one is empty, or they conflict', () => {
    expect(compareForMerge([primary, other])).toEqual({
      name: 'agree', email: 'conflict', mobile: 'one_empty', dateOfBirth: 'agree', company: 'one_empty', address: 'conflict', social: 'agree', ownerId: 'conflict',
    })
    expect(compareForMerge([contact({ email: 'A@x.example' }), contact({ email: 'a@X.example' })]).email).toBe('agree')
  })

  it('keeps the chosen contact’s value and the displaced email among the others', () => {
    const merged = mergeContacts(primary, [other], { email: 'd', address: 'd', ownerId: 'd' })
    expect(merged.fields.email).toBe('ann@new.example')
    expect(merged.fields.otherEmails).toEqual(['ann@old.example'])
    expect(merged.fields.address).toEqual({ city: 'Paris', country: 'FR' })
    expect(merged.ownerId).toBe('u2')
    expect(merged.fields.name).toBe('Ann Lee')
    expect(mergeContacts(primary, [other]).fields.email).toBe('ann@old.example')
  })

  it('refuses a choice of a contact that is not in the merge', () => {
    expect(checkMergeChoices(['p', 'd'], { email: 'z' })).toEqual({ field: 'fields.email', message: 'z is not one of the contacts being merged' })
    expect(checkMergeChoices(['p', 'd'], { email: 'd' })).toBeNull()
  })

  it('never loses a mobile or an email whatever is chosen (property)', () => {
    const mobile = fc.option(fc.constantFrom('+447400000001', '+447400000002', '+34600000003'), { nil: null })
    const email = fc.option(fc.constantFrom('a@x.example', 'B@x.example', 'c@y.example'), { nil: null })
    const record = fc.record({ mobile, email })
    const choice = fc.record(Object.fromEntries(MERGE_FIELDS.map((f) => [f, fc.constantFrom(0, 1, 2)])) as Record<(typeof MERGE_FIELDS)[number], fc.Arbitrary<number>>, { requiredKeys: [] })
    fc.assert(fc.property(record, record, record, choice, (a, b, c, picks) => {
      const all = [a, b, c].map((r, i) => contact({ ...r, id: `c${i}` }))
      const choices = Object.fromEntries(Object.entries(picks).map(([f, i]) => [f, `c${i}`]))
      const { fields } = mergeContacts(all[0] as Contact, all.slice(1), choices)
      const mobiles = new Set([fields.mobile, ...fields.otherMobiles])
      const emails = new Set([fields.email?.toLowerCase(), ...fields.otherEmails])
      for (const x of all) {
        if (x.mobile !== null) expect(mobiles.has(x.mobile)).toBe(true)
        if (x.email !== null) expect(emails.has(x.email.toLowerCase())).toBe(true)
      }
    }))
  })
})
