export type SpreadsheetDate = { ok: true; iso: string } | { ok: false; message: string }

const YEAR_FIRST = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/
const DOTTED_DAY_FIRST = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/
const SLASHED = /^(\d{1,2})[/-](\d{1,2})[/-](\d{4})$/
const EXCEL_SERIAL = /^\d{4,5}$/
// Birthdays kept without the year: Google's ISO 8601 "--05-09", Mailchimp's "MM/DD".
const NO_YEAR = /^(?:--\d{1,2}-?\d{1,2}|\d{1,2}[/.-]\d{1,2})$/
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)

function iso(y: string | number, m: string | number, d: string | number): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/**
 * Reads a date the way spreadsheets write them, into YYYY-MM-DD (calendar checks happen later). Day and month
 * are never guessed: 03/04/1990 is refused because it is 3 April in Europe and March 4 in the US, while
 * 25/04/1990 and 04/25/1990 can only be one date. Dotted dates are day-first everywhere they are used.
 */
export function readSpreadsheetDate(raw: string): SpreadsheetDate {
  const text = raw.trim()
  let m = YEAR_FIRST.exec(text)
  if (m !== null) return { ok: true, iso: iso(m[1]!, m[2]!, m[3]!) }
  m = DOTTED_DAY_FIRST.exec(text)
  if (m !== null) return { ok: true, iso: iso(m[3]!, m[2]!, m[1]!) }
  m = SLASHED.exec(text)
  if (m !== null) {
    const a = Number(m[1])
    const b = Number(m[2])
    if (a > 12 && b <= 12) return { ok: true, iso: iso(m[3]!, b, a) }
    if (b > 12 && a <= 12) return { ok: true, iso: iso(m[3]!, a, b) }
    if (a === b) return { ok: true, iso: iso(m[3]!, a, b) }
    return { ok: false, message: `"${text}" is ambiguous: it could be day/month or month/day; write it as YYYY-MM-DD` }
  }
  if (NO_YEAR.test(text)) return { ok: false, message: `"${text}" has no year; a date of birth needs one` }
  // A date column that lost its format in Excel shows the day count since 1899-12-30.
  if (EXCEL_SERIAL.test(text)) {
    const serial = Number(text)
    if (serial >= 1 && serial < 100_000) {
      return { ok: true, iso: new Date(EXCEL_EPOCH_MS + serial * 86_400_000).toISOString().slice(0, 10) }
    }
  }
  return { ok: false, message: `"${text}" is not a date; write it as YYYY-MM-DD` }
}
