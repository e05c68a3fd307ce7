import { getExampleNumber, type CountryCode } from 'libphonenumber-js/max'
import examples from 'libphonenumber-js/mobile/examples'

export const COUNTRIES: CountryCode[] = [
  'GB', 'US', 'DE', 'FR', 'ES', 'IT', 'NL', 'BR', 'MX', 'AR', 'IN', 'ID', 'PH', 'NG', 'ZA',
  'KE', 'EG', 'TR', 'SA', 'AE', 'PK', 'BD', 'VN', 'TH', 'MY', 'AU', 'CA', 'PL', 'CO', 'JP',
]

const FIRST = ['James', 'Mary', 'Mohammed', 'Fatima', 'Wei', 'Li', 'Jose', 'Maria', 'Ana', 'Juan', 'Priya', 'Rahul', 'Chinedu', 'Amara', 'Hiroshi', 'Yuki', 'Olga', 'Ivan', 'Emma', 'Lucas', 'Sofia', 'Mateo', 'Aisha', 'Omar', 'Nguyen', 'Thanh', 'Siti', 'Budi', 'Kofi', 'Zanele', 'Liam', 'Olivia', 'Noah', 'Ava', 'Ethan', 'Mia', 'Hannah', 'Leon', 'Chloe', 'Arjun', 'Ananya', 'Diego', 'Valentina', 'Camila', 'Santiago', 'Elif', 'Mehmet', 'Zeynep', 'Ahmed', 'Layla']
const LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Garcia', 'Martinez', 'Rodriguez', 'Hernandez', 'Lopez', 'Gonzalez', 'Muller', 'Schmidt', 'Schneider', 'Fischer', 'Dubois', 'Moreau', 'Rossi', 'Russo', 'Silva', 'Santos', 'Oliveira', 'Pereira', 'Kumar', 'Sharma', 'Patel', 'Singh', 'Okafor', 'Adeyemi', 'Mensah', 'Nkosi', 'Tanaka', 'Suzuki', 'Sato', 'Kowalski', 'Nowak', 'Yilmaz', 'Kaya', 'Demir', 'Khan', 'Ali', 'Hussain', 'Rahman', 'Tran', 'Pham', 'Wongsa', 'Tan', 'Lim', 'Wilson', 'Taylor', 'Anderson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter', 'Phillips', 'Evans', 'Turner', 'Torres', 'Parker', 'Collins', 'Edwards', 'Stewart', 'Flores', 'Morris', 'Nguyen', 'Murphy', 'Rivera', 'Cook', 'Rogers', 'Morgan', 'Peterson', 'Cooper', 'Reed', 'Bailey', 'Bell', 'Gomez', 'Kelly', 'Howard', 'Ward', 'Cox', 'Diaz', 'Richardson', 'Wood', 'Watson']
const COMPANY_A = ['Acme', 'Globex', 'Initech', 'Umbrella', 'Stark', 'Wayne', 'Hooli', 'Vandelay', 'Soylent', 'Tyrell', 'Cyberdyne', 'Wonka', 'Aperture', 'Gringotts', 'Oscorp', 'Monarch', 'Pied Piper', 'Nakatomi', 'Dunder', 'Sterling']
const COMPANY_B = ['Logistics', 'Foods', 'Textiles', 'Motors', 'Pharma', 'Bank', 'Retail', 'Travel', 'Studios', 'Energy', 'Labs', 'Imports', 'Clinic', 'Bakery', 'Consulting']

/** A deterministic generator so that every run seeds and queries the same data. */
export function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)] as T
}

const MOBILE_PREFIX = new Map(COUNTRIES.map((c) => {
  const example = getExampleNumber(c, examples)
  if (example === undefined) throw new Error(`no example mobile for ${c}`)
  return [c, { code: example.countryCallingCode, national: example.nationalNumber as string }]
}))

/** The n-th mobile of a country: its example mobile with the last six digits replaced by n, so each is unique. */
export function mobileFor(country: CountryCode, n: number): string {
  const p = MOBILE_PREFIX.get(country)
  if (p === undefined) throw new Error(`unknown country ${country}`)
  const tail = String(n % 1_000_000).padStart(6, '0')
  return `+${p.code}${p.national.slice(0, -6)}${tail}`
}

export type FakePerson = { name: string; first: string; last: string; email: string; company: string; country: CountryCode; mobile: string }

export function person(random: () => number, index: number): FakePerson {
  const first = pick(random, FIRST)
  const last = pick(random, LAST)
  const country = COUNTRIES[index % COUNTRIES.length] as CountryCode
  return {
    name: `${first} ${last}`, first, last,
    email: `${first}.${last}.${index}@${pick(random, ['gmail.com', 'yahoo.com', 'outlook.com', 'example.org', 'mail.example.net'])}`.toLowerCase(),
    company: `${pick(random, COMPANY_A)} ${pick(random, COMPANY_B)}`,
    country,
    mobile: mobileFor(country, Math.floor(index / COUNTRIES.length)),
  }
}
