import type { CustomFieldDefinition } from '../custom-fields.ts'

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection); OWASP's advice is to
// prefix a single quote. Tab and carriage return are included because Excel strips them before evaluating.
const FORMULA_START = /^[=+\-@\t\r]/

/** A value made safe to open in a spreadsheet: formulas become text. */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

/** A cell neutralizeCell wrote, read back: the quote it added goes again, so an exported file imports as it was. */
export function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value.slice(1)) ? value.slice(1) : value
}

/** Several values in one cell (other mobiles, other emails, identities); the importer splits on it. */
export const LIST_SEPARATOR = '; '
/** Also Google Contacts' separator for several values of one field (" ::: "). */
const LIST_SPLIT = /\s*(?:;|:::)\s*/

export function splitList(cell: string): string[] {
  return cell.split(LIST_SPLIT).filter((v) => v !== '')
}

/**
 * The columns of the contact export, one per field, named as the importer's header matching reads them; the rows
 * are written by PostgreSQL in this order (storage/contact-export.ts).
 */
export const CONTACT_CSV_COLUMNS = [
  'id', 'name', 'mobile', 'email', 'dateOfBirth', 'company', 'street', 'city', 'state', 'zip', 'country',
  'instagram', 'facebook', 'linkedin', 'twitter', 'otherMobiles', 'otherEmails', 'ownerId', 'preference', 'source',
  'identities', 'createdAt', 'updatedAt',
] as const

/** The header: the fields, then `Labels` and one column per custom field, headed by its label. */
export function contactCsvHeader(defs: readonly CustomFieldDefinition[] = []): string[] {
  return [...CONTACT_CSV_COLUMNS, LABELS_COLUMN, ...defs.map((d) => d.label)]
}

export const LABELS_COLUMN = 'Labels'
