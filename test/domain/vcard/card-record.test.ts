import { describe, expect, it } from 'vitest'
import { mapColumns } from '../../../domain/csv/columns.ts'
import { readRow } from '../../../domain/csv/row.ts'
import { cardRecord, VCARD_COLUMNS, type VcardProperty } from '../../../domain/vcard/card-record.ts'

function prop(name: string, values: string[], params: Record<string, string[]> = {}, group: string | null = null): VcardProperty {
  return { name, group, params, values }
}

/** The record as column → value, leaving out empty cells. */
function cells(props: VcardProperty[]): Record<string, string> {
  const values = cardRecord(props)
  return Object.fromEntries(VCARD_COLUMNS.map((c, i) => [c, values[i] ?? '']).filter(([, v]) => v !== ''))
}

describe('the columns of a card', () => {
  it('are matched to the contact fields by the automatic column matching', () => {
    const mapped = mapColumns([...VCARD_COLUMNS])
    expect(mapped.ok).toBe(true)
    if (!mapped.ok) return
    expect(Object.fromEntries(VCARD_COLUMNS.map((c, i) => [c, mapped.map.targets[i]]))).toEqual({
      Name: 'name', 'First Name': 'firstName', 'Middle Name': 'middleName', 'Last Name': 'lastName', Mobile: 'mobile',
      'Other Phones': 'otherMobile', Email: 'email', 'Other Emails': 'otherEmail', Birthday: 'dateOfBirth', Company: 'company',
      Street: 'street', City: 'city', State: 'state', Zip: 'zip', Country: 'country',
      Instagram: 'instagram', Facebook: 'facebook', LinkedIn: 'linkedin', Twitter: 'twitter', Categories: 'labels',
    })
  })

  it('carry every other phone and email into otherMobiles and otherEmails', () => {
    const record = cardRecord([
      prop('tel', ['+44 7400 100001'], { type: ['cell'] }), prop('tel', ['+44 20 7946 0001']), prop('tel', ['+44 20 7946 0002']), prop('tel', ['+44 7400 100002']),
      prop('email', ['a@example.com']), prop('email', ['b@example.com']), prop('email', ['c@example.com']),
    ])
    const mapped = mapColumns([...VCARD_COLUMNS])
    if (!mapped.ok) throw new Error(mapped.message)
    const row = readRow(record, mapped.map, { defaultCountry: 'GB', today: '2026-01-01' })
    expect(row).toMatchObject({
      kind: 'contact',
      fields: { mobile: '+447400100001', otherMobiles: ['+442079460001', '+442079460002', '+447400100002'], email: 'a@example.com', otherEmails: ['b@example.com', 'c@example.com'] },
    })
  })
})

describe('cardRecord', () => {
  it('gives the mobile to a cell-typed number (the preferred one of several), the rest in file order; fax last', () => {
    expect(cells([
      prop('tel', ['+1 408 555 0134'], { type: ['home', 'voice', 'pref'] }), prop('tel', ['+1 415 555 0001'], { type: ['cell'] }),
      prop('tel', ['+1 415 555 0002'], { type: ['cell', 'pref'] }),
    ])).toMatchObject({ Mobile: '+1 415 555 0002', 'Other Phones': '+1 408 555 0134; +1 415 555 0001' })
    expect(cells([prop('tel', ['+1 408 555 0199'], { type: ['fax'] }), prop('tel', ['+1 408 555 0188'], { type: ['work'] })])).toMatchObject({ Mobile: '+1 408 555 0188' })
  })

  it("takes Apple's label (item1.X-ABLabel) that says mobile or WhatsApp, and an iPhone number, as cell", () => {
    expect(cells([prop('tel', ['+44 20 7946 0958'], { type: ['home'] }), prop('tel', ['+44 7400 123456'], {}, 'item1'), prop('x-ablabel', ['WhatsApp'], {}, 'item1')]))
      .toMatchObject({ Mobile: '+44 7400 123456', 'Other Phones': '+44 20 7946 0958' })
    expect(cells([prop('tel', ['+44 20 7946 0958']), prop('tel', ['+44 7400 654321'], { type: ['iphone'] })])).toMatchObject({ Mobile: '+44 7400 654321' })
  })

  it("reads 4.0's tel: URIs and PREF=1, and the same number twice once", () => {
    expect(cells([
      prop('tel', ['tel:+44-7400-900456'], { type: ['cell'], pref: ['2'] }), prop('tel', ['tel:+44-7400-900123;ext=1'], { type: ['cell'], pref: ['1'] }),
      prop('tel', ['+44-7400-900456']),
    ])).toMatchObject({ Mobile: '+44-7400-900123', 'Other Phones': '+44-7400-900456' })
  })

  it('takes the preferred email, else the first', () => {
    expect(cells([prop('email', ['work@example.com'], { type: ['work'] }), prop('email', ['me@example.com'], { pref: ['1'] })]))
      .toMatchObject({ Email: 'me@example.com', 'Other Emails': 'work@example.com' })
    expect(cells([prop('email', ['one@example.com']), prop('email', ['two@example.com'], { type: ['internet', 'pref'] })])).toMatchObject({ Email: 'two@example.com' })
    expect(cells([prop('email', ['one@example.com']), prop('email', ['two@example.com'])])).toMatchObject({ Email: 'one@example.com', 'Other Emails': 'two@example.com' })
  })

  it('takes FN as the name and N as its parts, ORG as the company', () => {
    expect(cells([prop('fn', ['Dr. John Appleseed']), prop('n', ['Appleseed', 'John', 'Quincy', 'Dr.', '']), prop('org', ['Apple Inc.', 'Engineering'])])).toEqual({
      Name: 'Dr. John Appleseed', 'First Name': 'John', 'Middle Name': 'Quincy', 'Last Name': 'Appleseed', Company: 'Apple Inc.',
    })
  })

  it('takes the home address first, its street lines kept apart by commas', () => {
    expect(cells([
      prop('adr', ['', '', '1 Infinite Loop', 'Cupertino', 'CA', '95014', 'United States'], { type: ['work', 'pref'] }),
      prop('adr', ['', 'Apartment 4', '350 Elm Street\nBack door', 'Palo Alto', 'CA', '94301', 'United States'], { type: ['home'] }),
    ])).toEqual({ Street: '350 Elm Street, Back door, Apartment 4', City: 'Palo Alto', State: 'CA', Zip: '94301', Country: 'United States' })
  })

  it("gives a birthday as read, and Apple's year-less one (X-APPLE-OMIT-YEAR) as --MM-DD", () => {
    expect(cells([prop('bday', ['1980-05-17'])])).toEqual({ Birthday: '1980-05-17' })
    expect(cells([prop('bday', ['1604-03-02'], { 'x-apple-omit-year': ['1604'] })])).toEqual({ Birthday: '--03-02' })
    expect(cells([prop('bday', ['--04-15'])])).toEqual({ Birthday: '--04-15' })
  })

  it("decodes 2.1's quoted-printable values in their charset", () => {
    expect(cells([
      prop('n', ['M=C3=BCller', 'J=C3=BCrgen', '', '', ''], { charset: ['UTF-8'], encoding: ['QUOTED-PRINTABLE'] }),
      prop('org', ['B=E4ckerei'], { charset: ['ISO-8859-1'], encoding: ['quoted-printable'] }),
    ])).toEqual({ 'First Name': 'Jürgen', 'Last Name': 'Müller', Company: 'Bäckerei' })
  })

  it('joins the categories with " ::: ", which no category name holds', () => {
    expect(cells([prop('categories', ['VIP', 'Friends, old']), prop('categories', ['Wholesale'])])).toEqual({ Categories: 'VIP ::: Friends, old ::: Wholesale' })
  })

  it('reads social profiles from X-SOCIALPROFILE, IMPP and the URL of a known network, one per network', () => {
    expect(cells([
      prop('url', ['https://twitter.com/from_url']),
      prop('x-socialprofile', ['https://twitter.com/jappleseed'], { type: ['twitter'] }),
      prop('x-socialprofile', ['x-apple:john-appleseed'], { type: ['linkedin'], 'x-user': ['john-appleseed'] }),
      prop('impp', ['xmpp:anna.smith.77'], { 'x-service-type': ['Facebook'] }),
      prop('url', ['https://www.instagram.com/acme_ltd/']),
      prop('url', ['https://example.com/about']),
      prop('impp', ['skype:someone']),
    ])).toEqual({
      Twitter: 'https://twitter.com/jappleseed', LinkedIn: 'john-appleseed', Facebook: 'anna.smith.77', Instagram: 'https://www.instagram.com/acme_ltd/',
    })
    expect(cells([prop('url', ['https://x.com/oliviab'])])).toEqual({ Twitter: 'https://x.com/oliviab' })
  })

  it('leaves every cell empty for a card with nothing to import (a photo, a note)', () => {
    expect(cardRecord([prop('version', ['3.0']), prop('note', ['hello']), prop('fn', [' '])]).every((v) => v === '')).toBe(true)
  })
})
