import { readFileSync } from 'node:fs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import { mapColumns } from '../../../domain/csv/columns.ts'
import { readRow, type RowOutcome } from '../../../domain/csv/row.ts'

const ctx = { today: '2026-11-23' }

function read(name: string): { headers: string[]; outcomes: RowOutcome[] } {
  const records = parse(readFileSync(new URL(`../../fixtures/exports/${name}`, import.meta.url)), { bom: true, relax_column_count: true }) as string[][]
  const [headers, ...rows] = records
  const mapped = mapColumns(headers!)
  if (!mapped.ok) throw new Error(mapped.message)
  return { headers: headers!, outcomes: rows.map((r) => readRow(r, mapped.map, ctx)) }
}

function contact(o: RowOutcome | undefined) {
  if (o?.kind !== 'contact') throw new Error(`not a contact: ${JSON.stringify(o)}`)
  return { ...o.fields, warnings: o.warnings.map((w) => `${w.column}: ${w.message}`) }
}

// Each file is written from the tool's documented export header; every one imports with no mapping.
describe('exports of the tools people keep contacts in', () => {
  it('Google Contacts: numbered values, labelled phones, ::: cells, address block 1, a birthday without a year', () => {
    const { outcomes } = read('google-contacts.csv')
    expect(contact(outcomes[0])).toMatchObject({
      name: 'Dr Jane Doe', mobile: '+447400123123', otherMobiles: ['+442079460000'], email: 'jane@example.com',
      otherEmails: ['jane.doe@example.org'], company: 'Acme Ltd', dateOfBirth: '1990-04-25',
      address: { street: '1 High St', city: 'London', zip: 'SW1A 1AA', country: 'GB' }, warnings: [],
    })
    expect(contact(outcomes[1])).toMatchObject({ name: 'Carlos Ruiz', mobile: '+34612345678', otherMobiles: ['+34912345678'], dateOfBirth: null })
    expect(contact(outcomes[1]).warnings).toEqual(['column "Birthday" (N): "--05-09" has no year; a date of birth needs one'])
    expect(contact(outcomes[2])).toMatchObject({ email: 'mia@example.net', company: 'Chen & Co', address: { city: 'Taipei', country: 'TW' }, warnings: [] })
  })

  it('Outlook: the mobile phone wins, an empty one gives way to the next phone, Business/Home blocks, 0/0/00', () => {
    const { outcomes } = read('outlook.csv')
    expect(contact(outcomes[0])).toMatchObject({
      name: 'Anna Schmidt', mobile: '+4915123456789', otherMobiles: ['+49307654321'], email: 'anna.schmidt@example.de',
      otherEmails: ['anna@example.org'], company: 'Beispiel GmbH', dateOfBirth: null,
      address: { street: 'Hauptstr. 1, Etage 3', city: 'Berlin', zip: '10115', country: 'DE' }, warnings: [],
    })
    expect(contact(outcomes[1])).toMatchObject({ mobile: '+442079460001', dateOfBirth: '1990-04-25', address: { street: '2 Low Rd', city: 'Leeds', country: 'GB' } })
  })

  it('HubSpot: the mobile phone number wins over the phone number; State/Region and Country/Region', () => {
    const { outcomes } = read('hubspot.csv')
    expect(contact(outcomes[0])).toMatchObject({ mobile: '+46701234567', otherMobiles: ['+46812345678'], company: 'Nordic AB', address: { street: 'Storgatan 1', city: 'Stockholm', state: 'Stockholm', zip: '111 22', country: 'SE' } })
    expect(contact(outcomes[1])).toMatchObject({ name: 'Omar Haddad', mobile: '+971501234567', address: { state: 'Dubai', country: 'AE' } })
    expect(contact(outcomes[2])).toMatchObject({ email: 'ivy@example.com' })
    expect(contact(outcomes[2]).address.country ?? null).toBeNull()
    expect(contact(outcomes[2]).warnings).toHaveLength(1)
    expect(contact(outcomes[2]).warnings[0]).toContain('column "Country/Region" (M)')
  })

  it('Zoho CRM: Mobile is the mobile and Phone another one, Account Name, Mailing before Other', () => {
    const { outcomes } = read('zoho-crm.csv')
    expect(contact(outcomes[0])).toMatchObject({
      name: 'Raj Patel', mobile: '+919876543210', otherMobiles: ['+912223456789'], email: 'raj@example.in', otherEmails: ['raj.p@example.com'],
      company: 'Patel Traders', dateOfBirth: '1985-07-14', social: { twitter: 'rajpatel' },
      address: { street: '12 MG Road', city: 'Mumbai', state: 'Maharashtra', zip: '400001', country: 'IN' }, warnings: [],
    })
    expect(contact(outcomes[1])).toMatchObject({ mobile: '+525512345678', otherMobiles: [], address: { street: 'Av. Reforma 1', city: 'CDMX', country: 'MX' }, dateOfBirth: null })
    expect(contact(outcomes[1]).warnings).toHaveLength(1)
  })

  it('Mailchimp: Email Address, Phone Number, CC and REGION, a MM/DD birthday kept out with a warning', () => {
    const { outcomes } = read('mailchimp.csv')
    expect(contact(outcomes[0])).toMatchObject({ email: 'pat@example.com', name: 'Pat Kim', mobile: '+14155550123', dateOfBirth: null, address: { state: 'IL', country: 'US' } })
    expect(contact(outcomes[0]).warnings).toEqual(['column "Birthday" (F): "04/25" has no year; a date of birth needs one'])
    expect(contact(outcomes[1])).toMatchObject({ email: 'lee@example.com', warnings: [] })
    expect(outcomes[2]).toMatchObject({ kind: 'failed', reason: 'column "Email Address" (A): "not-an-email" is not a valid email address' })
  })

  it('our own export reads back field for field', () => {
    const { outcomes } = read('own-export.csv')
    expect(contact(outcomes[0])).toMatchObject({
      name: 'Eve Adams', mobile: '+447400123124', email: 'eve@example.com', dateOfBirth: '1988-02-29', company: 'Adams & Sons',
      otherMobiles: ['+447400123125', '+447400123126'], otherEmails: ['eve@example.org'], social: { instagram: 'eve.adams' },
      address: { street: '3 Mill Ln', city: 'Bath', zip: 'BA1 1AA', country: 'GB' }, warnings: [],
    })
    expect(contact(outcomes[1])).toMatchObject({ name: '=HYPERLINK("x")', email: 'formula@example.com' })
  })

  it('ignores the columns that are not contact fields', () => {
    const m = mapColumns(read('outlook.csv').headers)
    expect(m.ok && m.map.ignored).toEqual(expect.arrayContaining(['Pager', 'Home Fax', 'Company Main Phone', "Assistant's Phone", 'Title', 'Job Title', 'Home Address', 'Business Address']))
  })
})
