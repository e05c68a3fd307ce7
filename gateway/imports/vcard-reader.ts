import ICAL from 'ical.js'
import { CardSplitter, type CardText } from '../../domain/vcard/card-lines.ts'
import { cardRecord, VCARD_COLUMNS, type VcardProperty } from '../../domain/vcard/card-record.ts'
import { nameBareParams } from '../../domain/vcard/v21.ts'
import { decodeUpload, NotText, type CsvItem, type CsvReader } from './reader.ts'

/** The `delimiter` a vCard import reports and records: it has none, and the job that runs it reads it as a vCard again. */
export const VCARD_DELIMITER = 'vcard'

/** The most text one card may have once its photo is left out; a longer one is generated or broken. */
export const MAX_CARD_CHARS = 1024 * 1024

/** The header row of the records: the row reader maps it as it maps a CSV header. Row 0: cards count from 1. */
const HEADER_ROW = 0

type Design = NonNullable<Parameters<typeof ICAL.parse.property>[1]>

// ical.js reads 3.0 and 4.0; 2.1 is read with 3.0's value types (dates, phone numbers) once its bare parameters
// are named (v21.ts). 4.0 types some values differently (TEL and BDAY may be URIs or partial dates).
function designFor(lines: readonly string[]): Design {
  const version = lines.find((l) => /^VERSION:/i.test(l))?.slice(8).trim()
  return version === '4.0' ? ICAL.design.vcard : ICAL.design.vcard3
}

/** One content line through ical.js, as a VcardProperty; throws ical.js's error when the line cannot be read. */
function propertyOf(line: string, design: Design): VcardProperty {
  const [name, rawParams, , ...rawValues] = ICAL.parse.property(nameBareParams(line), design) as [string, Record<string, unknown>, string, ...unknown[]]
  let group: string | null = null
  const params: Record<string, string[]> = {}
  for (const [key, value] of Object.entries(rawParams)) {
    if (key === 'group') {
      group = String(value)
      continue
    }
    const list = (Array.isArray(value) ? value : [value]).map(String)
    params[key.toLowerCase()] = key.toLowerCase() === 'type' ? list.flatMap((t) => t.split(',')).map((t) => t.trim().toLowerCase()) : list
  }
  // A structured value (N, ADR, ORG) is one array of components, each a string or, when it has several, an array.
  const [only] = rawValues
  const values = rawValues.length === 1 && Array.isArray(only) ? only.map((c) => (Array.isArray(c) ? c.join(',') : String(c))) : rawValues.map(String)
  return { name: name.toLowerCase(), group, params, values }
}

/** A phone number or an email that cannot be read costs the card, as an invalid one costs a CSV row. */
const IDENTIFYING = new Set(['tel', 'email'])

function unreadable(row: number, message: string): CsvItem {
  return { kind: 'unreadable', row, message }
}

function readCard(card: CardText, row: number): { item: CsvItem; properties: VcardProperty[] } {
  if (card.tooLong) return { item: unreadable(row, `the card is longer than ${MAX_CARD_CHARS} characters without its photo, so it was not read`), properties: [] }
  const design = designFor(card.lines)
  const properties: VcardProperty[] = []
  for (const line of card.lines) {
    try {
      properties.push(propertyOf(line, design))
    } catch (error) {
      const name = (line.split(/[;:]/)[0] ?? '').replace(/^[\w-]+\./, '').toLowerCase()
      const shown = line.length > 80 ? `${line.slice(0, 80)}…` : line
      if (IDENTIFYING.has(name)) return { item: unreadable(row, `the line "${shown}" could not be read (${error instanceof Error ? error.message : String(error)})`), properties: [] }
      // Any other line that cannot be read is left out, as properties that are not imported are.
    }
  }
  const values = cardRecord(properties)
  if (values.every((v) => v === '')) return { item: unreadable(row, 'the card has no mobile and no email (nor anything else that can be imported); a contact needs at least one'), properties }
  return { item: { kind: 'record', row, values }, properties }
}

/**
 * Reads a vCard file (2.1, 3.0, 4.0; many cards) as records: a header row of VCARD_COLUMNS, then one record per
 * card with the card's number, from 1, as its row. Every card is a row: one that cannot be read, or has nothing
 * to import, is an unreadable row with the reason, never skipped. Streams like openCsv: one chunk of the file and
 * one card's text (photos left out, at most MAX_CARD_CHARS) are in memory at a time.
 */
export function openVcard(source: AsyncIterable<Uint8Array>, maxBytes: number): CsvReader {
  const upload = decodeUpload(source, maxBytes)
  // 2.1's quoted-printable values are ASCII in the file and text in the charset they name: that is what was read.
  let valuesCharset: string | null = null
  let blank = true
  async function* cards(): AsyncGenerator<CardText> {
    const splitter = new CardSplitter(MAX_CARD_CHARS)
    for await (const text of upload.text) {
      if (blank && text.trim() !== '') blank = false
      yield* splitter.push(text)
    }
    yield* splitter.end()
  }
  async function* items(): AsyncGenerator<CsvItem> {
    let row = 0
    for await (const card of cards()) {
      if (row === 0) yield { kind: 'record', row: HEADER_ROW, values: [...VCARD_COLUMNS] }
      row++
      const { item, properties } = readCard(card, row)
      valuesCharset ??= properties.find((p) => p.params.encoding?.some((e) => /quoted-printable/i.test(e)) && p.params.charset !== undefined)?.params.charset?.[0]?.toLowerCase() ?? null
      yield item
    }
    // Named or typed as a vCard, with text but no card: say so rather than call the file empty.
    if (row === 0 && !blank) throw new NotText('there is no vCard in this file (no BEGIN:VCARD … END:VCARD); export the contacts as vCard or CSV again')
  }
  return { encoding: () => valuesCharset ?? upload.encoding(), delimiter: VCARD_DELIMITER, bytesRead: upload.bytesRead, stoppedEarly: () => null, items: items() }
}
