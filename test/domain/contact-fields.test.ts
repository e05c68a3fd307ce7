import { describe, expect, it } from 'vitest'
import { applyContactPatch, fillEmptyFields } from '../../domain/contact-fields.ts'
import { EMPTY_CONTACT_FIELDS } from '../../domain/contact.ts'

describe('country follows the mobile unless it was entered', () => {
  it('detects the country from the mobile on create', () => {
    const c = applyContactPatch(EMPTY_CONTACT_FIELDS, { mobile: '+4915123456789' })
    expect(c.address.country).toBe('DE')
    expect(c.countrySource).toBe('detected')
  })

  it('keeps an entered country on create even when the mobile is foreign', () => {
    const c = applyContactPatch(EMPTY_CONTACT_FIELDS, { mobile: '+4915123456789', address: { country: 'ES' } })
    expect(c.address.country).toBe('ES')
    expect(c.countrySource).toBe('entered')
  })

  it('moves a detected country when the mobile changes', () => {
    const created = applyContactPatch(EMPTY_CONTACT_FIELDS, { mobile: '+4915123456789', address: { city: 'Berlin' } })
    const moved = applyContactPatch(created, { mobile: '+34612345678' })
    expect(moved.address).toEqual({ city: 'Berlin', country: 'ES' })
    expect(moved.countrySource).toBe('detected')
  })

  it('keeps an entered country when the mobile changes', () => {
    const created = applyContactPatch(EMPTY_CONTACT_FIELDS, { mobile: '+4915123456789', address: { country: 'AT' } })
    expect(applyContactPatch(created, { mobile: '+34612345678' }).address.country).toBe('AT')
  })

  it('hands the country back to detection when the entered one is cleared', () => {
    const created = applyContactPatch(EMPTY_CONTACT_FIELDS, { mobile: '+4915123456789', address: { country: 'AT' } })
    const cleared = applyContactPatch(created, { address: { country: null } })
    expect(cleared.address.country).toBe('DE')
    expect(cleared.countrySource).toBe('detected')
  })

  it('detects on an update that adds the first mobile', () => {
    const created = applyContactPatch(EMPTY_CONTACT_FIELDS, { email: 'a@b.co' })
    expect(created.address.country).toBeUndefined()
    expect(applyContactPatch(created, { mobile: '+447400123123' }).address.country).toBe('GB')
  })

  it('drops a detected country when the mobile is removed', () => {
    const created = applyContactPatch(EMPTY_CONTACT_FIELDS, { mobile: '+447400123123', email: 'a@b.co' })
    const removed = applyContactPatch(created, { mobile: null })
    expect(removed.address.country).toBeUndefined()
    expect(removed.countrySource).toBeNull()
  })

  it('leaves absent fields alone and clears null ones', () => {
    const created = applyContactPatch(EMPTY_CONTACT_FIELDS, { name: 'Jane', company: 'Acme', social: { instagram: 'jane', twitter: 'jd' } })
    const next = applyContactPatch(created, { company: null, social: { twitter: null } })
    expect(next.name).toBe('Jane')
    expect(next.company).toBeNull()
    expect(next.social).toEqual({ instagram: 'jane' })
  })
})

describe('fillEmptyFields', () => {
  const base = applyContactPatch(EMPTY_CONTACT_FIELDS, { name: 'Jane', email: 'jane@example.com', address: { city: 'Leeds' }, social: { twitter: 'jane' } })
  const incoming = applyContactPatch(EMPTY_CONTACT_FIELDS, {
    name: 'Jane Doe', mobile: '+447400123123', email: 'other@example.com', company: 'Acme',
    address: { city: 'York', zip: 'YO1' }, social: { twitter: 'other', instagram: 'jane.ig' },
  })

  it('fills only what is empty and detects the country from a newly filled mobile', () => {
    const filled = fillEmptyFields(base, incoming)
    expect(filled).toMatchObject({
      name: 'Jane', email: 'jane@example.com', mobile: '+447400123123', company: 'Acme',
      address: { city: 'Leeds', zip: 'YO1', country: 'GB' }, social: { twitter: 'jane', instagram: 'jane.ig' }, countrySource: 'detected',
    })
  })

  it('takes an entered country only into an empty one', () => {
    const entered = applyContactPatch(EMPTY_CONTACT_FIELDS, { email: 'x@example.com', address: { country: 'IE' } })
    expect(fillEmptyFields(base, entered)).toMatchObject({ address: { country: 'IE' }, countrySource: 'entered' })
    const hasCountry = applyContactPatch(EMPTY_CONTACT_FIELDS, { mobile: '+447400123123' })
    expect(fillEmptyFields(hasCountry, entered).address.country).toBe('GB')
  })
})
