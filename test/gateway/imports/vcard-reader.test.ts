import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { openContactFile, type FileHints } from '../../../gateway/imports/contact-file.ts'
import { NotText, openCsv, type CsvItem } from '../../../gateway/imports/reader.ts'
import { MAX_CARD_CHARS, openVcard } from '../../../gateway/imports/vcard-reader.ts'
import { VCARD_COLUMNS } from '../../../domain/vcard/card-record.ts'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/vcard/${name}`, import.meta.url))

async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

type Row = { row: number; unreadable?: string; cells?: Record<string, string> }

/** Every item after the header, a record as column → value (empty cells left out). */
async function rows(bytes: Uint8Array, options: { size?: number; hints?: FileHints } = {}): Promise<{ header: CsvItem | undefined; rows: Row[]; encoding: string; delimiter: string }> {
  const reader = await openContactFile(chunked(bytes, options.size ?? 64), 10_000_000, options.hints)
  const items: CsvItem[] = []
  for await (const item of reader.items) items.push(item)
  const [header, ...rest] = items
  return {
    header,
    rows: rest.map((i) => i.kind === 'unreadable'
      ? { row: i.row, unreadable: i.message }
      : { row: i.row, cells: Object.fromEntries(VCARD_COLUMNS.map((c, k) => [c, i.values[k] ?? '']).filter(([, v]) => v !== '')) }),
    encoding: reader.encoding(),
    delimiter: reader.delimiter,
  }
}

describe('the vCard reader on the exports of Apple Contacts, Android and Outlook', () => {
  it('yields the header as row 0, then every card with its number from 1, whatever the chunk size', async () => {
    for (const name of ['apple-contacts.vcf', 'android.vcf', 'outlook-4.vcf']) {
      const whole = await rows(fixture(name), { size: 1 << 20 })
      expect(whole.header).toEqual({ kind: 'record', row: 0, values: [...VCARD_COLUMNS] })
      expect(whole.rows.map((r) => r.row)).toEqual(whole.rows.map((_, i) => i + 1))
      expect(whole.delimiter).toBe('vcard')
      for (const size of [1, 7, 100]) expect((await rows(fixture(name), { size })).rows).toEqual(whole.rows)
    }
  })

  it('reads an Apple Contacts 3.0 export: typed and labelled phones, social profiles, home address, categories, no photo', async () => {
    const { rows: cards, encoding } = await rows(fixture('apple-contacts.vcf'))
    expect(encoding).toBe('utf-8')
    expect(cards).toEqual([
      { row: 1, cells: {
        Name: 'Dr. John Quincy Appleseed', 'First Name': 'John', 'Middle Name': 'Quincy', 'Last Name': 'Appleseed',
        Mobile: '+1 (415) 555-0123', 'Other Phones': '+1 (408) 555-0134; +1 408 555 0188; +1 408 555 0199',
        Email: 'john@appleseed.example', 'Other Emails': 'j.appleseed@apple.example', Birthday: '1980-05-17', Company: 'Apple Inc.',
        Street: '350 Elm Street, Apartment 4', City: 'Palo Alto', State: 'CA', Zip: '94301', Country: 'United States',
        LinkedIn: 'john-appleseed', Twitter: 'https://twitter.com/jappleseed', Categories: 'VIP ::: Friends',
      } },
      { row: 2, cells: {
        Name: 'Anna Smith', 'First Name': 'Anna', 'Last Name': 'Smith', Mobile: '+44 7400 123456', 'Other Phones': '+44 20 7946 0958; +44 7400 654321',
        Email: 'anna.smith@example.co.uk', Birthday: '--03-02', Facebook: 'anna.smith.77', Categories: 'Friends',
      } },
      { row: 3, cells: { Name: 'Acme Support', Email: 'support@acme.example', Company: 'Acme Ltd.', Instagram: 'https://www.instagram.com/acme_ltd/' } },
    ])
  })

  it('reads an Android 2.1 export: quoted-printable UTF-8 names, soft line breaks, bare parameters, an empty card', async () => {
    const { rows: cards } = await rows(fixture('android.vcf'), { size: 5 })
    expect(cards).toEqual([
      { row: 1, cells: {
        Name: 'Jürgen Müller', 'First Name': 'Jürgen', 'Last Name': 'Müller', Mobile: '+49 151 23456789', 'Other Phones': '+49 30 12345678',
        Email: 'juergen.mueller@example.de', Company: 'Bäckerei Müller', Street: 'Hauptstraße 5', City: 'München', State: 'Bayern', Zip: '80331', Country: 'Germany',
      } },
      { row: 2, cells: {
        Name: 'José María García Rodríguez de la Fuente y Martínez', 'First Name': 'José', 'Middle Name': 'María', 'Last Name': 'García Rodríguez',
        Mobile: '+34 612 345 678', 'Other Phones': '+34 912 345 678', Email: 'jose@empresa.example.es', 'Other Emails': 'jose.maria@example.es', Birthday: '--04-15',
      } },
      { row: 3, cells: { Name: 'Zoë', 'First Name': 'Zoë', Mobile: '0151 98765432' } },
      { row: 4, unreadable: 'the card has no mobile and no email (nor anything else that can be imported); a contact needs at least one' },
    ])
  })

  it('reads a 4.0 file: tel: URIs, PREF, a year-less birthday, and a card without phone or email as a row of its own', async () => {
    const { rows: cards } = await rows(fixture('outlook-4.vcf'))
    expect(cards.map((c) => c.row)).toEqual([1, 2, 3, 4])
    expect(cards[0]?.cells).toMatchObject({
      Name: 'Olivia Brown', Mobile: '+44-7400-900123', 'Other Phones': '+44-20-7946-0018; +44-7400-900456', Email: 'olivia.brown@example.com',
      'Other Emails': 'olivia@contoso.example', Birthday: '--04-15', City: 'London', LinkedIn: 'https://www.linkedin.com/in/olivia-brown', Twitter: 'https://x.com/oliviab', Categories: 'Clients ::: Wholesale',
    })
    expect(cards[1]?.cells).toMatchObject({ Name: 'Noah Green', Mobile: '+1-212-555-0147', Birthday: '1985-03-20', Country: 'USA' })
    expect(cards[2]?.cells).toEqual({ Name: 'Northwind Traders', Company: 'Northwind Traders', Street: '4 Harbour Rd', City: 'Seattle', State: 'WA', Zip: '98101', Country: 'United States' })
  })
})

describe('openContactFile', () => {
  const card = 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEMAIL:ann@example.com\r\nEND:VCARD\r\n'

  it('reads a vCard by its first line (after a BOM and blank lines), its name or its content type; anything else as CSV', async () => {
    expect((await rows(new TextEncoder().encode(`\ufeff\r\n\r\n${card}`), { size: 3 })).delimiter).toBe('vcard')
    const junkFirst = new TextEncoder().encode(`exported by a phone\r\n${card}`)
    expect((await rows(junkFirst)).delimiter).toBe(',')
    for (const hints of [{ fileName: 'phone.vcf' }, { contentType: 'text/x-vcard' }]) {
      const read = await rows(junkFirst, { hints })
      expect(read.delimiter).toBe('vcard')
      expect(read.rows).toEqual([{ row: 1, cells: { Name: 'Ann', Email: 'ann@example.com' } }])
    }
    expect((await rows(new TextEncoder().encode('Name;Mobile\nAnn;+447400123123\n'))).delimiter).toBe(';')
  })

  it('hands a CSV to the CSV reader untouched: the same records as openCsv gives, whatever the chunk size', async () => {
    const dir = new URL('../../fixtures/exports/', import.meta.url)
    for (const name of readdirSync(dir)) {
      const bytes = readFileSync(new URL(name, dir))
      const all = async (reader: Promise<{ items: AsyncIterable<CsvItem>; delimiter: string }>) => {
        const r = await reader
        const items: CsvItem[] = []
        for await (const item of r.items) items.push(item)
        return { delimiter: r.delimiter, items }
      }
      const expected = await all(openCsv(chunked(bytes, 1 << 20), 10_000_000))
      for (const size of [1, 13, 4096]) expect(await all(openContactFile(chunked(bytes, size), 10_000_000, { fileName: name }))).toEqual(expected)
    }
  })

  it('reads a UTF-16 vCard', async () => {
    const text = `\ufeff${card}`
    const bytes = new Uint8Array(text.length * 2)
    for (let i = 0; i < text.length; i++) bytes.set([text.charCodeAt(i) & 0xff, text.charCodeAt(i) >> 8], i * 2)
    const read = await rows(bytes, { size: 9 })
    expect(read).toMatchObject({ delimiter: 'vcard', encoding: 'utf-16le', rows: [{ row: 1, cells: { Name: 'Ann' } }] })
  })

  it('refuses a file named .vcf that has text but no card, and yields nothing for an empty one', async () => {
    await expect(rows(new TextEncoder().encode('Name,Mobile\nAnn,1\n'), { hints: { fileName: 'x.vcf' } })).rejects.toBeInstanceOf(NotText)
    expect((await rows(new TextEncoder().encode('\r\n'), { hints: { fileName: 'x.vcf' } })).header).toBeUndefined()
  })
})

describe('openVcard', () => {
  it('makes a card too long (without its photo) an unreadable row, and a card whose TEL line cannot be read one too', async () => {
    const huge = `BEGIN:VCARD\r\nFN:Big\r\nNOTE:${'x'.repeat(MAX_CARD_CHARS)}\r\nEND:VCARD\r\n`
    const broken = 'BEGIN:VCARD\r\nFN:Broken\r\nTEL;TYPE="cell:+1 415 555 0100\r\nEND:VCARD\r\n'
    const fine = 'BEGIN:VCARD\r\nFN:Fine\r\nX-BROKEN;=:?\r\nEMAIL:fine@example.com\r\nEND:VCARD\r\n'
    const reader = openVcard(chunked(new TextEncoder().encode(huge + broken + fine), 4096), 10_000_000)
    const items: CsvItem[] = []
    for await (const item of reader.items) items.push(item)
    expect(items.slice(1)).toEqual([
      { kind: 'unreadable', row: 1, message: `the card is longer than ${MAX_CARD_CHARS} characters without its photo, so it was not read` },
      { kind: 'unreadable', row: 2, message: expect.stringMatching(/^the line "TEL;TYPE="cell:\+1 415 555 0100" could not be read \(.+\)$/) },
      { kind: 'record', row: 3, values: expect.arrayContaining(['Fine', 'fine@example.com']) },
    ])
  })

  it('reads 100,000 cards with photos a chunk at a time', async () => {
    const photo = `PHOTO;ENCODING=b;TYPE=JPEG:${'A'.repeat(300)}`.replace(/(.{74})/g, '$1\r\n ')
    const cardText = (i: number) => `BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person ${i}\r\nTEL;TYPE=CELL:+44 7400 ${String(i).padStart(6, '0')}\r\n${photo}\r\nEND:VCARD\r\n`
    async function* file(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < 100_000; i += 100) yield new TextEncoder().encode(Array.from({ length: 100 }, (_, k) => cardText(i + k)).join(''))
    }
    const reader = openVcard(file(), 1_000_000_000)
    let last: CsvItem | undefined
    let count = 0
    for await (const item of reader.items) {
      last = item
      count++
    }
    expect(count).toBe(100_001)
    expect(last).toMatchObject({ kind: 'record', row: 100_000, values: expect.arrayContaining(['Person 99999', '+44 7400 099999']) })
  }, 60_000)
})
