import { describe, expect, it } from 'vitest'
import { mapColumns, type ColumnMap } from '../../../domain/csv/columns.ts'
import { readRow } from '../../../domain/csv/row.ts'

function columns(headers: string[]): ColumnMap {
  const r = mapColumns(headers)
  if (!r.ok) throw new Error(r.message)
  return r.map
}

const ctx = { today: '2026-11-23', defaultCountry: 'GB' }

describe('readRow', () => {
  it('reads every field, joins first and last names and detects the country from the mobile', () => {
    const map = columns(['First name', 'Last name', 'Phone', 'Email', 'Birthday', 'Company', 'Street', 'City', 'Instagram'])
    const r = readRow(['Jane', 'Doe', '07400 123123', 'Jane@Example.com', '25/04/1990', 'Acme', '1 High St', 'London', '@jane.doe'], map, ctx)
    expect(r.kind).toBe('contact')
    if (r.kind !== 'contact') return
    expect(r.fields).toMatchObject({
      name: 'Jane Doe', mobile: '+447400123123', email: 'Jane@Example.com', dateOfBirth: '1990-04-25', company: 'Acme',
      address: { street: '1 High St', city: 'London', country: 'GB' }, social: { instagram: 'jane.doe' }, countrySource: 'detected',
    })
  })

  it('accepts country names and keeps an entered country', () => {
    const r = readRow(['+14155550123', 'Deutschland'], columns(['Mobile', 'Country']), ctx)
    expect(r.kind === 'contact' && r.fields.address.country).toBe('DE')
    expect(r.kind === 'contact' && r.fields.countrySource).toBe('entered')
  })

  it('names the column and the problem of every bad field', () => {
    const r = readRow(['4.47E+11', 'not-an-email', '03/04/1990', 'x'.repeat(201)], columns(['Phone', 'Email', 'DOB', 'Name']), ctx)
    expect(r.kind).toBe('failed')
    if (r.kind !== 'failed') return
    expect(r.errors.map((e) => e.column)).toEqual(['column "DOB" (C)', 'column "Name" (D)', 'column "Phone" (A)', 'column "Email" (B)'])
    expect(r.reason).toContain('column "Phone" (A): "4.47E+11" is in scientific notation')
    expect(r.reason).toContain('column "DOB" (C): "03/04/1990" is ambiguous')
    expect(r.reason).toContain('column "Name" (D): is 201 characters long; at most 200 are allowed')
  })

  it('rejects national numbers when no default country is configured', () => {
    const r = readRow(['07400 123123'], columns(['Phone']), { today: '2026-11-23' })
    expect(r.kind === 'failed' && r.reason).toMatch(/column "Phone" \(A\): "07400 123123" has no country code/)
  })

  it('needs a mobile or an email', () => {
    const r = readRow(['Jane', ''], columns(['Name', 'Phone']), ctx)
    expect(r.kind === 'failed' && r.reason).toBe('the row has no mobile and no email; a contact needs at least one')
  })

  it('treats a record of blanks as no row at all', () => {
    expect(readRow(['', '  ', ''], columns(['Name', 'Phone', 'Email']), ctx)).toEqual({ kind: 'empty' })
  })

  it('fails a row whose values run past the header (a shifted row) instead of importing into the wrong columns', () => {
    const r = readRow(['Acme', ' Inc', '+447400123123'], columns(['Company', 'Phone']), ctx)
    expect(r.kind === 'failed' && r.reason).toContain('has 3 values but the header has 2 columns')
  })

  it('accepts missing trailing values', () => {
    expect(readRow(['+447400123123'], columns(['Phone', 'Email', 'City']), ctx).kind).toBe('contact')
  })

  it('ties an error on a second phone column to that column', () => {
    const r = readRow(['+447400123123', '123'], columns(['Mobile', 'Phone 2']), ctx)
    expect(r.kind === 'failed' && r.errors[0]?.column).toBe('column "Phone 2" (B)')
  })
})
