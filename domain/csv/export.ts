// Spreadsheets run a cell that starts with one of these as a formula (CSV injection); OWASP's advice is to
// prefix a single quote. Tab and carriage return are included because Excel strips them before evaluating.
const FORMULA_START = /^[=+\-@\t\r]/

/** A value made safe to open in a spreadsheet: formulas become text. */
export function neutralizeCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}
