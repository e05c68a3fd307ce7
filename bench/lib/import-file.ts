// The import benchmarks' file: a generated CSV of `rows` rows in 12 columns, written once and kept in /tmp.
import { createWriteStream, existsSync } from 'node:fs'
import { rename } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { person, pick, rng } from './fake-people.ts'

export const IMPORT_HEADER = ['First Name', 'Last Name', 'Mobile', 'Email', 'Date of Birth', 'Company', 'Street', 'City', 'State', 'Postal Code', 'Country', 'Instagram']
const STREETS = ['High Street', 'Main St', 'Rua Augusta', 'Calle Mayor', 'Hauptstraße', 'Rue de la Paix', 'MG Road', 'Jalan Sudirman']
const CITIES = ['London', 'New York', 'Berlin', 'Paris', 'Madrid', 'Milan', 'São Paulo', 'Mumbai', 'Lagos', 'Tokyo', 'Jakarta', 'Cairo']

function quote(v: string): string {
  return /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

/** The same number the way people type it: E.164, spaced, 00-prefixed, national (GB, the default country). */
function formatted(e164: string, country: string, style: number): string {
  const digits = e164.slice(1)
  switch (style % 5) {
    case 0: return e164
    case 1: return `+${digits.slice(0, 2)} ${digits.slice(2, 6)} ${digits.slice(6)}`
    case 2: return `00${digits}`
    case 3: return country === 'GB' ? `0${digits.slice(2, 6)} ${digits.slice(6)}` : `+${digits.slice(0, 3)}-${digits.slice(3, 7)}-${digits.slice(7)}`
    default: return `+${digits.slice(0, 2)} (0) ${digits.slice(2)}`
  }
}

/**
 * Writes the file unless it is there already: 5% of rows with an unusable mobile, 5% repeating an earlier person
 * (same number typed differently, or the same email in capitals without a mobile), the rest new people.
 */
export async function generateImportFile(file: string, rows: number): Promise<void> {
  if (existsSync(file)) return
  const random = rng(42)
  const out = createWriteStream(`${file}.tmp`)
  const seen: { mobile: string; email: string; country: string }[] = []
  const lines = function* () {
    yield `${IMPORT_HEADER.join(',')}\n`
    for (let i = 0; i < rows; i++) {
      const p = person(random, i)
      let mobile = formatted(p.mobile, p.country, i)
      let email = p.email
      const roll = random()
      if (roll < 0.05) {
        mobile = pick(random, ['4.47E+11', `+${p.mobile.slice(1, 5)}`, 'n/a', `${p.mobile}99`, '12345'])
      } else if (roll < 0.10 && seen.length > 0) {
        const earlier = seen[Math.floor(random() * seen.length)]!
        if (random() < 0.5) mobile = formatted(earlier.mobile, earlier.country, i + 1)
        else { email = earlier.email.toUpperCase(); mobile = '' }
      } else if (seen.length < 100_000 || random() < 0.01) {
        seen.push({ mobile: p.mobile, email: p.email, country: p.country })
      }
      const dob = `${1950 + Math.floor(random() * 55)}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`
      const row = [
        p.first, p.last, mobile, email, dob, p.company, `${1 + Math.floor(random() * 200)} ${pick(random, STREETS)}`, pick(random, CITIES),
        '', String(10000 + Math.floor(random() * 89999)), random() < 0.5 ? p.country : '', random() < 0.3 ? `@${p.first.toLowerCase()}${i}` : '',
      ]
      yield `${row.map(quote).join(',')}\n`
    }
  }
  await pipeline(lines, out)
  await rename(`${file}.tmp`, file)
}
