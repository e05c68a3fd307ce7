import type { AddressPart, SocialNetwork } from '../contact.ts'
import { headerWords, type HeaderWords } from './header-words.ts'
import type { CustomFieldDefinition } from '../custom-fields.ts'

/** What a CSV column feeds. First/middle/last and prefix/suffix make the name when there is no name column. */
export type ColumnTarget =
  | 'name' | 'firstName' | 'middleName' | 'lastName' | 'namePrefix' | 'nameSuffix'
  | 'mobile' | 'email' | 'dateOfBirth' | 'company'
  | AddressPart
  | SocialNetwork
  | 'otherMobile' | 'otherEmail'
  | 'labels'
  /** A custom field, by key. */
  | `field:${string}`

/** The fields a mapping may name, in the order a person reads them. */
export const MAPPING_FIELDS: readonly ColumnTarget[] = [
  'name', 'namePrefix', 'firstName', 'middleName', 'lastName', 'nameSuffix', 'mobile', 'otherMobile', 'email', 'otherEmail',
  'dateOfBirth', 'company', 'street', 'city', 'state', 'zip', 'country', 'instagram', 'facebook', 'linkedin', 'twitter', 'labels',
]

/** A custom field a column can feed: its key, and its label, which a header may be written as. */
type FieldColumn = Pick<CustomFieldDefinition, 'key' | 'label'>

export function isColumnTarget(value: string, fields: readonly FieldColumn[] = []): value is ColumnTarget {
  if (value.startsWith('field:')) return fields.some((f) => `field:${f.key}` === value)
  return (MAPPING_FIELDS as readonly string[]).includes(value)
}

/** A person's choice per header: a field, or null to ignore the column. */
export type Mapping = Record<string, string | null>

// A phone that does not say it is a mobile: it takes the mobile only when no column says mobile/cell/WhatsApp.
type Kind = ColumnTarget | 'phone'

/**
 * The words each field is written as, after numbering and group words are taken off (see header-words.ts).
 * A header matches when its words, run together, are one of these run together: "E-mail Address",
 * "email_address" and "EMAILADDRESS" are one. Exact matches only: "Company Main Phone" or "Asst Phone"
 * match nothing rather than become somebody's mobile.
 */
const PHRASES: [Kind, string[]][] = [
  ['name', ['name', 'full name', 'contact name', 'display name', 'customer name']],
  ['firstName', ['first name', 'given name', 'forename', 'first']],
  ['middleName', ['middle name', 'additional name', 'middle']],
  ['lastName', ['last name', 'surname', 'family name', 'last']],
  ['namePrefix', ['name prefix', 'prefix', 'salutation']],
  ['nameSuffix', ['name suffix', 'suffix']],
  ['mobile', ['mobile', 'mobiles', 'mobile phone', 'mobile number', 'mobile phone number', 'phone mobile', 'cell', 'cell phone',
    'cell number', 'cellular', 'cellular phone', 'whatsapp', 'whatsapp number', 'whatsapp phone', 'handy', 'mobil']],
  ['phone', ['phone', 'phones', 'phone number', 'telephone', 'telephone number', 'tel', 'phone no', 'contact number', 'telefon']],
  ['email', ['email', 'emails', 'email address', 'mail', 'email id', 'mail address']],
  ['dateOfBirth', ['dob', 'birthday', 'date of birth', 'birth date', 'birthdate', 'born', 'geburtstag']],
  ['company', ['company', 'company name', 'organization', 'organisation', 'organization name', 'organisation name', 'account name', 'employer', 'firma']],
  ['street', ['street', 'streets', 'address', 'street address', 'address line', 'address street', 'street line']],
  ['city', ['city', 'town', 'locality', 'address city', 'ort']],
  ['state', ['state', 'province', 'region', 'county', 'state region', 'state province', 'address region', 'address state']],
  ['zip', ['zip', 'zip code', 'postal code', 'postcode', 'address postal code', 'address zip', 'plz']],
  ['country', ['country', 'country code', 'country region', 'cc', 'address country', 'land']],
  ['instagram', ['instagram', 'instagram handle', 'instagram url', 'instagram profile']],
  ['facebook', ['facebook', 'facebook url', 'facebook profile']],
  ['linkedin', ['linkedin', 'linkedin url', 'linkedin profile']],
  ['twitter', ['twitter', 'x', 'twitter handle', 'twitter url', 'twitter profile', 'x handle']],
  ['otherMobile', ['other mobiles', 'other phones']],
  ['otherEmail', ['other emails']],
  ['labels', ['labels', 'label', 'tags', 'tag', 'groups', 'group', 'categories', 'category', 'group membership', 'contact groups']],
]

const BY_KEY = new Map<string, Kind>(PHRASES.flatMap(([kind, phrases]) => phrases.map((p) => [p.replace(/ /g, ''), kind] as const)))

/** Case, spaces and punctuation do not matter: "E-mail Address", "email_address" and "EMAIL ADDRESS" are one key. */
export function headerKey(header: string): string {
  return header.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

const ADDRESS: ReadonlySet<Kind> = new Set<AddressPart>(['street', 'city', 'state', 'zip', 'country'])
// Which address block fills the address first: Home before Business before Other, numbered blocks in order.
const BLOCK_RANK: Record<string, number> = { none: 0, home: 1, primary: 1, business: 2, billing: 3, other: 4 }

function kindOf(h: HeaderWords, header: string, fields: readonly FieldColumn[]): Kind | null {
  // A custom field is matched by its label or key as written ("Yearly spend", "yearly_spend"), before the built-in words.
  const key = headerKey(header)
  const field = fields.find((f) => headerKey(f.label) === key || headerKey(f.key) === key)
  if (field !== undefined) return `field:${field.key}`
  if (h.isLabel) return null
  return BY_KEY.get(h.words.join('')) ?? null
}

export type ColumnMap = {
  /** The target of each column by position, or null when the column is ignored. */
  targets: (ColumnTarget | null)[]
  /** Headers as written, for reasons that name the column. */
  headers: string[]
  /** Columns that feed nothing, as written. */
  ignored: string[]
  /** Each column's address block ("Home …", "Business …", "Address 2 - …"); lower blocks fill the address first. */
  blocks: number[]
  /** The column that labels this one's value ("Phone 1 - Label" for "Phone 1 - Value"), or -1. */
  labels: number[]
  /** The custom fields known when the columns were matched: `field:<key>` columns are read by their type. */
  customFields: readonly CustomFieldDefinition[]
}

/** The widest file an import takes: wider ones are generated or broken, and every row would carry them all. */
export const MAX_COLUMNS = 1000

/** Why a header row is too wide to import, or null. */
export function tooManyColumns(headers: string[]): string | null {
  return headers.length > MAX_COLUMNS ? `the header row has ${headers.length} columns; an import takes at most ${MAX_COLUMNS}, so nothing was imported` : null
}

export type ColumnMapResult =
  | { ok: true; map: ColumnMap }
  | { ok: false; problem: 'invalid_mapping'; message: string }
  /** The map is still given, so that a person can be shown it and choose the phone or email column. */
  | { ok: false; problem: 'no_contact_columns'; message: string; map: ColumnMap }

const CONTACT_POINTS: ColumnTarget[] = ['mobile', 'email', 'otherMobile', 'otherEmail']
const REPEATABLE: ReadonlySet<ColumnTarget> = new Set(['otherMobile', 'otherEmail', 'street', 'labels'])

function blockOf(h: HeaderWords, kind: Kind | null): number {
  if (kind === null || !ADDRESS.has(kind)) return 0
  // Google's "Address 1 - City": the number names the block.
  if (h.number !== null && h.words[0] === 'address' && h.words.length > 1) return 10 + h.number
  return BLOCK_RANK[h.group ?? 'none'] ?? 0
}

/** The automatic match: phones (a mobile/cell/WhatsApp column wins), emails, then every other field once per block. */
function suggest(parsed: HeaderWords[], headers: string[], fields: readonly FieldColumn[]): (ColumnTarget | null)[] {
  const kinds = parsed.map((h, i) => kindOf(h, headers[i] ?? '', fields))
  const targets: (ColumnTarget | null)[] = kinds.map((k) => (k === 'phone' ? 'otherMobile' : k))
  const isOther = (i: number) => parsed[i]!.group === 'other' || kinds[i] === 'otherMobile' || kinds[i] === 'otherEmail'
  const phoneCols = kinds.flatMap((k, i) => (k === 'mobile' || k === 'phone' || k === 'otherMobile' ? [i] : []))
  const mobile = phoneCols.find((i) => kinds[i] === 'mobile' && !isOther(i)) ?? phoneCols.find((i) => kinds[i] === 'phone' && !isOther(i)) ?? phoneCols[0]
  for (const i of phoneCols) targets[i] = i === mobile ? 'mobile' : 'otherMobile'
  const emailCols = kinds.flatMap((k, i) => (k === 'email' || k === 'otherEmail' ? [i] : []))
  const email = emailCols.find((i) => !isOther(i)) ?? emailCols[0]
  for (const i of emailCols) targets[i] = i === email ? 'email' : 'otherEmail'
  // A block with a street column has its formatted "Address" as well (Outlook's "Business Address"): keep the street.
  const streetBlocks = new Set(parsed.flatMap((h, i) => (kinds[i] === 'street' && h.words.join('') !== 'address' ? [blockOf(h, 'street')] : [])))
  parsed.forEach((h, i) => {
    if (kinds[i] === 'street' && h.words.join('') === 'address' && streetBlocks.has(blockOf(h, 'street'))) targets[i] = null
  })
  return targets
}

/** Keeps the first column of a field that is not repeatable (per address block), ignoring later ones. */
function dedupe(targets: (ColumnTarget | null)[], blocks: number[], chosen: ReadonlySet<number>): void {
  const seen = new Map<string, number>()
  for (let pass = 0; pass < 2; pass++) {
    // Chosen columns claim their field first; automatic ones give way.
    targets.forEach((t, i) => {
      if (t === null || REPEATABLE.has(t) || chosen.has(i) !== (pass === 0)) return
      const key = ADDRESS.has(t) ? `${t}#${blocks[i]}` : t
      if (!seen.has(key)) { seen.set(key, i); return }
      if (t === 'mobile') targets[i] = 'otherMobile'
      else if (t === 'email') targets[i] = 'otherEmail'
      else targets[i] = null
    })
  }
}

function checkMapping(headers: string[], mapping: Mapping, fields: readonly FieldColumn[]): string | null {
  for (const [header, field] of Object.entries(mapping)) {
    if (!headers.includes(header)) return `the mapping names the column "${header}", which the file does not have (its columns: ${headers.map((h) => `"${h}"`).join(', ')})`
    if (field !== null && !isColumnTarget(field, fields)) {
      return `the mapping maps "${header}" to "${field}", which is not a field; the fields are ${[...MAPPING_FIELDS, ...fields.map((f) => `field:${f.key}`)].join(', ')}`
    }
  }
  const counts = new Map<string, string[]>()
  for (const [header, field] of Object.entries(mapping)) {
    if (field === null || REPEATABLE.has(field as ColumnTarget) || ADDRESS.has(field as ColumnTarget)) continue
    counts.set(field, [...(counts.get(field) ?? []), header])
  }
  for (const [field, names] of counts) {
    if (names.length > 1) return `the mapping maps ${names.map((h) => `"${h}"`).join(' and ')} to ${field}; only one column can be the ${field}`
  }
  return null
}

/**
 * Matches a header row to contact fields, or applies a person's mapping over the match (per header). Several
 * phone columns: one that says mobile/cell/WhatsApp wins the mobile and the others feed the other mobiles, in
 * order; any other field repeated keeps its first column (per address block) rather than guess.
 */
export function mapColumns(headers: string[], mapping: Mapping = {}, fields: readonly CustomFieldDefinition[] = []): ColumnMapResult {
  const problem = checkMapping(headers, mapping, fields)
  if (problem !== null) return { ok: false, problem: 'invalid_mapping', message: problem }
  const parsed = headers.map(headerWords)
  const targets = suggest(parsed, headers, fields)
  const chosen = new Set<number>()
  headers.forEach((h, i) => {
    if (!(h in mapping)) return
    targets[i] = mapping[h] as ColumnTarget | null
    chosen.add(i)
  })
  const blocks = parsed.map((h, i) => blockOf(h, targets[i] ?? null))
  dedupe(targets, blocks, chosen)
  const labels = parsed.map((h, i) => {
    if (targets[i] !== 'mobile' && targets[i] !== 'otherMobile') return -1
    return parsed.findIndex((l) => l.isLabel && l.number === h.number && l.words.join('') === h.words.join(''))
  })
  const ignored = headers.filter((h, i) => targets[i] === null && h.trim() !== '')
  const map: ColumnMap = { targets, headers, ignored, blocks, labels, customFields: fields }
  if (!targets.some((t) => t !== null && CONTACT_POINTS.includes(t))) {
    const found = headers.filter((h) => h.trim() !== '').map((h) => `"${h}"`).join(', ')
    return {
      ok: false,
      problem: 'no_contact_columns',
      message: `the header row has no phone or email column (found: ${found || 'nothing'}); a contact needs a mobile or an email, so nothing was imported`,
      map,
    }
  }
  return { ok: true, map }
}

/** The suggestion for one header row as a mapping a person can confirm or change. */
export function mappingOf(map: ColumnMap): Mapping {
  const out: Mapping = {}
  map.headers.forEach((h, i) => {
    if (!(h in out)) out[h] = map.targets[i] ?? null
  })
  return out
}

/** "A", "B", … "Z", "AA": the column letter a spreadsheet shows, so a reason can be found in the file. */
export function columnLetter(index: number): string {
  let n = index + 1
  let out = ''
  while (n > 0) {
    const rem = (n - 1) % 26
    out = String.fromCharCode(65 + rem) + out
    n = Math.floor((n - 1) / 26)
  }
  return out
}
