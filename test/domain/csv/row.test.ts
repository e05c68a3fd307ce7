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
    expect(r.errors.map((e) => e.column)).toEqual(['column "Phone" (A)', 'column "Email" (B)', 'column "Name" (D)', 'column "DOB" (C)'])
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

  it('leaves a bad second phone out with a warning tied to its column', () => {
    const r = readRow(['+447400123123', '123'], columns(['Mobile', 'Phone 2']), ctx)
    expect(r.kind === 'contact' && r.warnings[0]?.column).toBe('column "Phone 2" (B)')
    expect(r.kind === 'contact' && r.fields.otherMobiles).toEqual([])
  })

  it('imports a contact without the descriptive values it cannot read, listing each as a warning', () => {
    const r = readRow(['+447400123123', '03/15', 'Atlantis', 'x'.repeat(201), 'https://example.com/jane', '--05-09'],
      columns(['Mobile', 'Birthday', 'Country', 'Company', 'Instagram', 'DOB']), ctx)
    expect(r.kind).toBe('contact')
    if (r.kind !== 'contact') return
    expect(r.fields.mobile).toBe('+447400123123')
    expect(r.fields.dateOfBirth).toBeNull()
    expect(r.fields.company).toBeNull()
    expect(r.fields.address.country).toBe('GB')
    expect(r.warnings.map((w) => w.column)).toEqual(['column "Birthday" (B)', 'column "Company" (D)', 'column "Country" (C)', 'column "Instagram" (E)'])
    expect(r.warnings[0]?.message).toBe('"03/15" has no year; a date of birth needs one')
  })

  it('lets the next phone take the place of an empty mobile, and a labelled mobile win it', () => {
    const map = columns(['Phone 1 - Label', 'Phone 1 - Value', 'Phone 2 - Label', 'Phone 2 - Value'])
    const a = readRow(['Work', '', 'Home', '+447400123123'], map, ctx)
    expect(a.kind === 'contact' && a.fields.mobile).toBe('+447400123123')
    const b = readRow(['Work', '+442071234567', 'Mobile', '+447400123123 ::: +447400999999'], map, ctx)
    expect(b.kind === 'contact' && [b.fields.mobile, ...b.fields.otherMobiles]).toEqual(['+447400123123', '+447400999999', '+442071234567'])
  })

  it('fills the address from the first block that has one and builds the name from its parts', () => {
    const map = columns(['Name Prefix', 'First Name', 'Middle Name', 'Last Name', 'Name Suffix', 'E-mail Address', 'Business Street', 'Business City', 'Home Street', 'Home Street 2', 'Home City', 'Home Country/Region'])
    const r = readRow(['Dr', 'Jane', 'Q', 'Doe', 'Jr', 'jane@example.com', '5 Office Rd', 'Leeds', '1 High St', 'Flat 2', 'York', 'United Kingdom'], map, ctx)
    expect(r.kind === 'contact' && r.fields.name).toBe('Dr Jane Q Doe Jr')
    expect(r.kind === 'contact' && r.fields.address).toMatchObject({ street: '1 High St, Flat 2', city: 'York', country: 'GB' })
    const business = readRow(['', 'Jane', '', '', '', 'jane@example.com', '5 Office Rd', 'Leeds', '', '', '', ''], map, ctx)
    expect(business.kind === 'contact' && business.fields.address).toMatchObject({ street: '5 Office Rd', city: 'Leeds' })
  })

  it('still fails a row whose mobile is present but invalid', () => {
    const r = readRow(['12', 'jane@example.com', '03/15'], columns(['Mobile', 'Email', 'Birthday']), ctx)
    expect(r.kind === 'failed' && r.reason).toMatch(/^column "Mobile" \(A\)/)
  })
})
