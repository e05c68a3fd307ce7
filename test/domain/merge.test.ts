import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type Contact } from '../../domain/contact.ts'
import { checkMergeRequest, groupDuplicates, mergeContacts, pairKey, revertIfUnchanged, unmergeFields, type DuplicatePair } from '../../domain/merge.ts'

function contact(over: Partial<Contact>): Contact {
  return {
    ...EMPTY_CONTACT_FIELDS, id: 'x', labels: [], fields: {}, ownerId: null, preference: 'proactive', identities: [], source: 'manual', issues: [], active: true,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', ...over,
  }
}

describe('mergeContacts', () => {
  it('keeps the primary’s values, fills its gaps in order, and keeps every other mobile and email', () => {
    const primary = contact({ id: 'p', name: 'Ann', mobile: '+447400000001', social: { instagram: 'ann' } })
    const first = contact({ id: 'd1', name: 'Annie', mobile: '+447400000002', email: 'ANN@x.example', company: 'First', social: { instagram: 'other', twitter: 'ann_t' } })
    const second = contact({ id: 'd2', email: 'ann@y.example', company: 'Second', otherEmails: ['ann@x.example'], dateOfBirth: '1990-04-01' })
    const { fields } = mergeContacts(primary, [first, second])
    expect(fields).toMatchObject({
      name: 'Ann', mobile: '+447400000001', email: 'ANN@x.example', company: 'First', dateOfBirth: '1990-04-01',
      social: { instagram: 'ann', twitter: 'ann_t' }, otherMobiles: ['+447400000002'], otherEmails: ['ann@y.example'],
    })
  })

  it('stays reactive if any record was, and keeps the primary’s owner or else the first one found', () => {
    expect(mergeContacts(contact({ preference: 'proactive' }), [contact({ preference: 'reactive' })]).preference).toBe('reactive')
    expect(mergeContacts(contact({ preference: 'proactive' }), [contact({ preference: 'proactive' })]).preference).toBe('proactive')
    expect(mergeContacts(contact({ ownerId: null }), [contact({ ownerId: null }), contact({ ownerId: 'u2' })]).ownerId).toBe('u2')
    expect(mergeContacts(contact({ ownerId: 'u1' }), [contact({ ownerId: 'u2' })]).ownerId).toBe('u1')
  })

  it('never loses a mobile or an email (property)', () => {
    const mobile = fc.option(fc.constantFrom('+447400000001', '+447400000002', '+34600000003', '+15550000004'), { nil: null })
    const email = fc.option(fc.constantFrom('a@x.example', 'B@x.example', 'c@y.example'), { nil: null })
    const record = fc.record({ mobile, email, otherMobiles: fc.uniqueArray(fc.constantFrom('+447400000005', '+447400000001')), otherEmails: fc.uniqueArray(fc.constantFrom('d@z.example', 'a@x.example')) })
    fc.assert(fc.property(record, fc.array(record, { minLength: 1, maxLength: 4 }), (p, ds) => {
      const all = [p, ...ds].map((r) => contact(r))
      const { fields } = mergeContacts(all[0] as Contact, all.slice(1))
      const mobiles = new Set([fields.mobile, ...fields.otherMobiles])
      const emails = new Set([fields.email?.toLowerCase(), ...fields.otherEmails])
      for (const r of all) {
        for (const m of [r.mobile, ...r.otherMobiles]) if (m !== null) expect(mobiles.has(m)).toBe(true)
        for (const e of [r.email, ...r.otherEmails]) if (e !== null) expect(emails.has(e.toLowerCase())).toBe(true)
      }
      expect(fields.otherMobiles).not.toContain(fields.mobile)
    }))
  })
})

describe('checkMergeRequest', () => {
  it('names what is wrong', () => {
    expect(checkMergeRequest('a', [])?.field).toBe('duplicateIds')
    expect(checkMergeRequest('a', ['a'])?.message).toContain('primary')
    expect(checkMergeRequest('a', ['b', 'b'])?.message).toContain('twice')
    expect(checkMergeRequest('a', Array.from({ length: 21 }, (_, i) => `d${i}`))?.message).toContain('20')
    expect(checkMergeRequest('a', ['b', 'c'])).toBeNull()
  })
})

describe('unmergeFields', () => {
  it('gives back what the merge changed, except what was edited after it', () => {
    const before = { ...EMPTY_CONTACT_FIELDS, name: 'Ann', company: null, email: null }
    const merged = { ...before, company: 'First', email: 'a@x.example', otherMobiles: ['+447400000002'] }
    const current = { ...merged, company: 'Edited later' }
    expect(unmergeFields(before, merged, current)).toEqual({ ...before, company: 'Edited later' })
    expect(revertIfUnchanged(1, 2, 2)).toBe(1)
    expect(revertIfUnchanged(1, 2, 3)).toBe(3)
  })
})

describe('groupDuplicates', () => {
  const pair = (a: string, b: string, reason: DuplicatePair['reason'] = 'same_mobile'): DuplicatePair => ({ a, b, reason })

  it('joins chains into one group with every reason, and leaves dismissed pairs out', () => {
    const groups = groupDuplicates([pair('b', 'a'), pair('c', 'b', 'same_email'), pair('x', 'y', 'same_name_and_company')], new Set())
    expect(groups).toEqual([
      { contactIds: ['a', 'b', 'c'], reasons: ['same_mobile', 'same_email'] },
      { contactIds: ['x', 'y'], reasons: ['same_name_and_company'] },
    ])
    expect(groupDuplicates([pair('b', 'a'), pair('x', 'y')], new Set([pairKey('a', 'b')]))).toEqual([{ contactIds: ['x', 'y'], reasons: ['same_mobile'] }])
  })

  it('drops a bare name match for a pair that matches on something stronger', () => {
    expect(groupDuplicates([pair('a', 'b', 'same_name'), pair('b', 'a', 'same_name_and_company')], new Set())).toEqual([{ contactIds: ['a', 'b'], reasons: ['same_name_and_company'] }])
    expect(groupDuplicates([pair('a', 'b', 'same_name'), pair('b', 'c', 'same_mobile')], new Set())).toEqual([{ contactIds: ['a', 'b', 'c'], reasons: ['same_mobile', 'same_name'] }])
  })

  it('puts every id of every kept pair in exactly one group (property)', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f')
    fc.assert(fc.property(fc.array(fc.tuple(id, id)), (tuples) => {
      const pairs = tuples.map(([a, b]) => pair(a, b))
      const groups = groupDuplicates(pairs, new Set())
      const seen = groups.flatMap((g) => g.contactIds)
      expect(new Set(seen).size).toBe(seen.length)
      for (const p of pairs) {
        if (p.a === p.b) continue
        const g = groups.find((x) => x.contactIds.includes(p.a))
        expect(g?.contactIds).toContain(p.b)
      }
    }))
  })
})
