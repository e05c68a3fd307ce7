import { EMPTY_CONTACT_FIELDS, FIELD_LIMITS, type AddressPart, type ContactFields, type SocialNetwork } from '../contact.ts'
import { applyContactPatch } from '../contact-fields.ts'
import { checkReachable, validateContactInput, type ContactInput, type FieldError, type ValidationContext } from '../validate.ts'
import { columnLetter, type ColumnMap, type ColumnTarget } from './columns.ts'
import { readSpreadsheetDate } from './dates.ts'
import { restoreCell, splitList } from './export.ts'
import { checkCustomValue, type CustomValues } from '../custom-fields.ts'
import { checkLabelName, splitLabelCell } from '../labels.ts'

export type RowError = { column: string | null; field: string; message: string }

/**
 * A contact with `warnings`: descriptive values (a birthday without a year, an unknown country, a bad profile
 * URL, a value over its length) that could not be read and were left out; the contact is imported without them.
 */
export type RowOutcome =
  | { kind: 'empty' }
  | { kind: 'failed'; reason: string; errors: RowError[] }
  | ({ kind: 'contact'; fields: ContactFields; warnings: RowError[] } & RowExtras)

/** Label names and custom values of a row, present only when the row has some (most rows of most files have none). */
export type RowExtras = { labels?: string[]; custom?: CustomValues }

const STREET_TO_ZIP = ['street', 'city', 'state', 'zip'] as const
const ADDRESS_TARGETS: ReadonlySet<ColumnTarget> = new Set<AddressPart>(['street', 'city', 'state', 'zip', 'country'])
const SOCIAL_TARGETS: ReadonlySet<ColumnTarget> = new Set<SocialNetwork>(['instagram', 'facebook', 'linkedin', 'twitter'])
const NAME_PARTS = ['namePrefix', 'firstName', 'middleName', 'lastName', 'nameSuffix'] as const
// Google Contacts writes several values of one field into one cell: "a ::: b".
const MULTI_VALUE = /\s*:::\s*/
const SAYS_MOBILE = /mobile|cell|whats\s*app|handy/i
// Outlook writes an empty birthday as 0/0/00.
const NO_DATE = /^0{1,2}[/.-]0{1,2}[/.-]0{2,4}$/

function columnRef(map: ColumnMap, index: number): string {
  return `column "${map.headers[index] ?? ''}" (${columnLetter(index)})`
}

export function describeErrors(errors: RowError[]): string {
  return errors.map((e) => (e.column === null ? e.message : `${e.column}: ${e.message}`)).join('; ')
}

function failed(errors: RowError[]): RowOutcome {
  return { kind: 'failed', reason: describeErrors(errors), errors }
}

/** Where each validated field came from, so an error names the column a person has to fix. */
type Origins = Map<string, number>
type Cell = { value: string; col: number; rank: number }

/** Phones or emails in the order they claim the one mobile/email: labelled mobile, then the main column, then the rest in column order. */
function ordered(cells: Cell[]): Cell[] {
  if (cells.length < 2) return cells
  return cells.map((c, i) => ({ c, i })).sort((a, b) => a.c.rank - b.c.rank || a.i - b.i).map(({ c }) => c)
}

function splitPoints(cells: Cell[], input: ContactInput, origins: Origins, one: 'mobile' | 'email', many: 'otherMobiles' | 'otherEmails'): void {
  const [first, ...rest] = ordered(cells)
  if (first === undefined) return
  input[one] = first.value
  origins.set(one, first.col)
  rest.forEach((c, k) => origins.set(`${many}[${k}]`, c.col))
  if (rest.length > 0) {
    origins.set(many, rest[0]!.col)
    input[many] = rest.map((c) => c.value)
  }
}

/** The address from the first block that has a street or a city (Home before Business before Other), else the first with anything. */
function pickAddress(blocks: Map<number, Map<AddressPart, Cell[]>>, origins: Origins): Partial<Record<AddressPart, string>> | null {
  let chosen: Map<AddressPart, Cell[]> | undefined
  let country: Cell[] | undefined
  if (blocks.size === 1) {
    chosen = blocks.values().next().value
    country = chosen?.get('country')
  } else {
    const ranked = [...blocks.entries()].sort((a, b) => a[0] - b[0]).map(([, parts]) => parts)
    chosen = ranked.find((p) => p.has('street') || p.has('city')) ?? ranked[0]
    country = chosen?.get('country') ?? ranked.find((p) => p.has('country'))?.get('country')
  }
  if (chosen === undefined) return null
  const address: Partial<Record<AddressPart, string>> = {}
  for (const part of STREET_TO_ZIP) {
    const cells = chosen.get(part)
    if (cells === undefined) continue
    address[part] = cells.length === 1 ? cells[0]!.value : cells.map((c) => c.value).join(', ')
    origins.set(`address.${part}`, cells[0]!.col)
  }
  if (country !== undefined) {
    address.country = country[0]!.value
    origins.set('address.country', country[0]!.col)
  }
  return address
}

function collectInput(record: readonly string[], map: ColumnMap, origins: Origins, warnings: RowError[], extras: RowExtras): ContactInput {
  const input: ContactInput = {}
  // Allocated only when a row has such values: this runs for every row of files of millions.
  let blocks: Map<number, Map<AddressPart, Cell[]>> | null = null
  let social: Partial<Record<SocialNetwork, string>> | null = null
  let nameParts: ({ value: string; col: number } | undefined)[] | null = null
  const phones: Cell[] = []
  const emails: Cell[] = []
  const { targets } = map
  for (let i = 0; i < targets.length; i++) {
    const target = targets[i]
    if (target === null || target === undefined) continue
    const raw = record[i]
    if (raw === undefined || raw === '') continue
    const value = restoreCell(raw).trim()
    if (value === '') continue
    if (ADDRESS_TARGETS.has(target)) {
      blocks ??= new Map()
      const block = map.blocks[i] ?? 0
      let parts = blocks.get(block)
      if (parts === undefined) blocks.set(block, (parts = new Map()))
      const cells = parts.get(target as AddressPart)
      if (cells === undefined) parts.set(target as AddressPart, [{ value, col: i, rank: 0 }])
      else cells.push({ value, col: i, rank: 0 })
    } else if (SOCIAL_TARGETS.has(target)) {
      ;(social ??= {})[target as SocialNetwork] = value
      origins.set(`social.${target}`, i)
    } else if (target === 'mobile' || target === 'otherMobile') {
      const label = map.labels[i] ?? -1
      const saysMobile = label >= 0 && SAYS_MOBILE.test(record[label] ?? '')
      const rank = saysMobile ? 0 : target === 'mobile' ? 1 : 2
      if (target === 'mobile' && !value.includes(':::')) phones.push({ value, col: i, rank })
      else for (const v of target === 'mobile' ? value.split(MULTI_VALUE) : splitList(value)) if (v !== '') phones.push({ value: v, col: i, rank })
    } else if (target === 'email' || target === 'otherEmail') {
      if (target === 'email' && !value.includes(':::')) emails.push({ value, col: i, rank: 0 })
      else for (const v of target === 'email' ? value.split(MULTI_VALUE) : splitList(value)) if (v !== '') emails.push({ value: v, col: i, rank: target === 'email' ? 0 : 1 })
    } else if (target === 'dateOfBirth') {
      if (NO_DATE.test(value)) continue
      origins.set('dateOfBirth', i)
      const date = readSpreadsheetDate(value)
      if (date.ok) input.dateOfBirth = date.iso
      else warnings.push({ column: columnRef(map, i), field: 'dateOfBirth', message: date.message })
    } else if (target === 'name' || target === 'company') {
      input[target] = value
      origins.set(target, i)
    } else if (target === 'labels') {
      const names = splitLabelCell(value).filter((n) => checkLabelName(n).ok)
      if (names.length > 0) extras.labels = [...(extras.labels ?? []), ...names]
    } else if (target.startsWith('field:')) {
      readCustomCell(map, i, target.slice(6), value, extras, warnings)
    } else {
      const at = (NAME_PARTS as readonly string[]).indexOf(target)
      nameParts ??= []
      if (at >= 0 && nameParts[at] === undefined) nameParts[at] = { value, col: i }
    }
  }
  splitPoints(phones, input, origins, 'mobile', 'otherMobiles')
  splitPoints(emails, input, origins, 'email', 'otherEmails')
  if (input.name === undefined && nameParts !== null) {
    const parts = nameParts.filter((p) => p !== undefined)
    if (parts.length > 0) {
      input.name = parts.map((p) => p.value).join(' ')
      origins.set('name', parts[0]!.col)
    }
  }
  if (blocks !== null) {
    const address = pickAddress(blocks, origins)
    if (address !== null) input.address = address
  }
  if (social !== null) input.social = social
  return input
}

/** A custom field's cell, read by the field's type; a value that cannot be read is a warning naming the column. */
function readCustomCell(map: ColumnMap, col: number, key: string, value: string, extras: RowExtras, warnings: RowError[]): void {
  const def = map.customFields.find((f) => f.key === key)
  if (def === undefined) return
  const checked = checkCustomValue(def, value)
  if (checked.ok) (extras.custom ??= {})[key] = checked.value
  else warnings.push({ column: columnRef(map, col), field: `fields.${key}`, message: checked.message })
}

function errorAt(map: ColumnMap, origins: Origins, e: FieldError): RowError {
  const at = origins.get(e.field)
  return { column: at === undefined ? null : columnRef(map, at), field: e.field, message: e.message }
}

/** What identifies the person: a bad one costs the row; anything else is left out of the contact with a warning. */
function isIdentifying(e: FieldError): boolean {
  return e.field === 'mobile' || e.field === 'email' || e.code === 'no_contact_point'
}

/** Leaves a field that could not be read out of the input. */
function dropField(input: ContactInput, field: string): void {
  const list = /^(otherMobiles|otherEmails)\[(\d+)\]$/.exec(field)
  if (list !== null) {
    const key = list[1] as 'otherMobiles' | 'otherEmails'
    input[key] = (input[key] ?? []).map((v, i) => (i === Number(list[2]) ? '' : v))
    return
  }
  if (field === 'otherMobiles' || field === 'otherEmails') {
    input[field] = (input[field] ?? []).slice(0, FIELD_LIMITS.otherValues)
    return
  }
  const [head, part] = field.split('.')
  if (head === 'address' && input.address) delete input.address[part as AddressPart]
  else if (head === 'social' && input.social) delete input.social[part as SocialNetwork]
  else if (head === 'name' || head === 'company' || head === 'dateOfBirth') delete input[head]
}

/**
 * One CSV record → a contact to save (with the values it had to leave out), or the reasons it cannot be, each
 * naming its column. A row fails only when what identifies the person is unusable: a mobile or email that is
 * present but invalid, or neither. Records with nothing in them are not rows; values beyond the header's last
 * column mean the columns have shifted (an unquoted delimiter inside a value), so the row fails rather than
 * import data into the wrong fields.
 */
export function readRow(record: readonly string[], map: ColumnMap, ctx: ValidationContext): RowOutcome {
  if (record.every((v) => v.trim() === '')) return { kind: 'empty' }
  const extra = record.slice(map.targets.length).filter((v) => v.trim() !== '').length
  if (extra > 0) {
    return failed([{
      column: null,
      field: 'row',
      message: `the row has ${record.length} values but the header has ${map.targets.length} columns; a value that contains the delimiter must be quoted`,
    }])
  }
  const warnings: RowError[] = []
  const origins: Origins = new Map()
  const extras: RowExtras = {}
  const input = collectInput(record, map, origins, warnings, extras)
  let validated = validateContactInput(input, ctx)
  if (!validated.ok) {
    const refOf = (e: FieldError) => errorAt(map, origins, e)
    const identifying = validated.errors.filter(isIdentifying)
    const descriptive = validated.errors.filter((e) => !isIdentifying(e))
    if (identifying.length > 0) return failed([...identifying, ...descriptive].map(refOf).concat(warnings))
    for (const e of descriptive) {
      warnings.push(refOf(e))
      dropField(input, e.field)
    }
    // Emptied list entries were left in place so that the indexes of the errors above stayed right.
    if (input.otherMobiles) input.otherMobiles = input.otherMobiles.filter((v) => v !== '')
    if (input.otherEmails) input.otherEmails = input.otherEmails.filter((v) => v !== '')
    validated = validateContactInput(input, ctx)
    if (!validated.ok) return failed(validated.errors.map(refOf).concat(warnings))
  }
  const fields = applyContactPatch(EMPTY_CONTACT_FIELDS, validated.value)
  if (checkReachable(fields, 0) !== null) {
    return failed([{ column: null, field: 'mobile', message: 'the row has no mobile and no email; a contact needs at least one' }])
  }
  if (extras.labels !== undefined) extras.labels = splitLabelCell(extras.labels.join(' ::: '))
  return { kind: 'contact', fields, warnings, ...extras }
}
