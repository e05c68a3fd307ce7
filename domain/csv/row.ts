import { EMPTY_CONTACT_FIELDS, type AddressPart, type ContactFields, type SocialNetwork } from '../contact.ts'
import { applyContactPatch } from '../contact-fields.ts'
import { checkReachable, validateContactInput, type ContactInput, type ValidationContext } from '../validate.ts'
import { columnLetter, type ColumnMap, type ColumnTarget } from './columns.ts'
import { readSpreadsheetDate } from './dates.ts'
import { restoreCell, splitList } from './export.ts'

export type RowError = { column: string | null; field: string; message: string }

export type RowOutcome =
  | { kind: 'empty' }
  | { kind: 'failed'; reason: string; errors: RowError[] }
  | { kind: 'contact'; fields: ContactFields }

const ADDRESS_TARGETS: ReadonlySet<ColumnTarget> = new Set<AddressPart>(['street', 'city', 'state', 'zip', 'country'])
const SOCIAL_TARGETS: ReadonlySet<ColumnTarget> = new Set<SocialNetwork>(['instagram', 'facebook', 'linkedin', 'twitter'])

function columnRef(map: ColumnMap, index: number): string {
  return `column "${map.headers[index] ?? ''}" (${columnLetter(index)})`
}

function failed(errors: RowError[]): RowOutcome {
  const reason = errors.map((e) => (e.column === null ? e.message : `${e.column}: ${e.message}`)).join('; ')
  return { kind: 'failed', reason, errors }
}

/** Where each validated field came from, so an error names the column a person has to fix. */
type Origins = Map<string, number>

function collectInput(record: readonly string[], map: ColumnMap, origins: Origins, errors: RowError[]): ContactInput {
  const input: ContactInput = {}
  const address: Partial<Record<AddressPart, string>> = {}
  const social: Partial<Record<SocialNetwork, string>> = {}
  const otherMobiles: string[] = []
  const otherEmails: string[] = []
  let first: string | undefined
  let last: string | undefined
  map.targets.forEach((target, i) => {
    if (target === null) return
    const value = restoreCell(record[i] ?? '').trim()
    if (value === '') return
    if (ADDRESS_TARGETS.has(target)) {
      address[target as AddressPart] = value
      origins.set(`address.${target}`, i)
    } else if (SOCIAL_TARGETS.has(target)) {
      social[target as SocialNetwork] = value
      origins.set(`social.${target}`, i)
    } else if (target === 'otherMobile') {
      for (const one of splitList(value)) {
        origins.set(`otherMobiles[${otherMobiles.length}]`, i)
        otherMobiles.push(one)
      }
    } else if (target === 'otherEmail') {
      for (const one of splitList(value)) {
        origins.set(`otherEmails[${otherEmails.length}]`, i)
        otherEmails.push(one)
      }
    } else if (target === 'firstName') {
      first = value
      origins.set('name', i)
    } else if (target === 'lastName') {
      last = value
      if (!origins.has('name')) origins.set('name', i)
    } else if (target === 'dateOfBirth') {
      origins.set('dateOfBirth', i)
      const date = readSpreadsheetDate(value)
      if (date.ok) input.dateOfBirth = date.iso
      else errors.push({ column: columnRef(map, i), field: 'dateOfBirth', message: date.message })
    } else if (target === 'name' || target === 'mobile' || target === 'email' || target === 'company') {
      input[target] = value
      origins.set(target, i)
    }
  })
  if (input.name === undefined && (first !== undefined || last !== undefined)) {
    input.name = [first, last].filter((p) => p !== undefined).join(' ')
  }
  if (Object.keys(address).length > 0) input.address = address
  if (Object.keys(social).length > 0) input.social = social
  if (otherMobiles.length > 0) input.otherMobiles = otherMobiles
  if (otherEmails.length > 0) input.otherEmails = otherEmails
  return input
}

/**
 * One CSV record → a contact to save, or the reasons it cannot be, each naming its column. Records with
 * nothing in them are not rows; values beyond the header's last column mean the columns have shifted
 * (an unquoted delimiter inside a value), so the row fails rather than import data into the wrong fields.
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
  const errors: RowError[] = []
  const origins: Origins = new Map()
  const input = collectInput(record, map, origins, errors)
  const validated = validateContactInput(input, ctx)
  if (!validated.ok) {
    for (const e of validated.errors) {
      const at = origins.get(e.field)
      errors.push({ column: at === undefined ? null : columnRef(map, at), field: e.field, message: e.message })
    }
  }
  if (errors.length > 0 || !validated.ok) return failed(errors)
  const fields = applyContactPatch(EMPTY_CONTACT_FIELDS, validated.value)
  const unreachable = checkReachable(fields, 0)
  if (unreachable !== null) {
    return failed([{ column: null, field: 'mobile', message: 'the row has no mobile and no email; a contact needs at least one' }])
  }
  return { kind: 'contact', fields }
}
