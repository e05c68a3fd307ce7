import { LIST_SEPARATOR } from '../csv/export.ts'
import { socialProfiles } from './social-profiles.ts'
import { decodeQuotedPrintable } from './v21.ts'

/**
 * A property as a parser read it. Names, parameter names and TYPE values are lower-case, TYPE values one per
 * entry ("cell,voice" split); `values` holds the components of a structured value (N, ADR, ORG: several values of
 * one component joined by commas), the items of a list (CATEGORIES), or else the one value.
 */
export type VcardProperty = { name: string; group: string | null; params: Record<string, string[]>; values: string[] }

/**
 * The columns a card becomes, named as the automatic column matching of a CSV header reads them
 * (domain/csv/columns.ts): a vCard then takes the same path as a spreadsheet, mapping preview included.
 */
export const VCARD_COLUMNS = [
  'Name', 'First Name', 'Middle Name', 'Last Name', 'Mobile', 'Other Phones', 'Email', 'Other Emails', 'Birthday', 'Company',
  'Street', 'City', 'State', 'Zip', 'Country', 'Instagram', 'Facebook', 'LinkedIn', 'Twitter', 'Categories',
] as const
type Column = (typeof VCARD_COLUMNS)[number]

/** Labels are split on `,` `;` and ` ::: `; the last cannot occur inside a category's name. */
const LABEL_SEPARATOR = ' ::: '
// Apple labels a value through its group (item1.TEL + item1.X-ABLabel); a custom label may say it is a mobile.
const SAYS_MOBILE = /mobile|cell|iphone|whats\s*app|handy/i
const MOBILE_TYPES = ['cell', 'mobile', 'iphone']
const NOT_FOR_MESSAGES = ['fax', 'pager']
const SOCIAL_COLUMNS = { instagram: 'Instagram', facebook: 'Facebook', linkedin: 'LinkedIn', twitter: 'Twitter' } as const

function oneLine(value: string | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim()
}

/** 2.1's quoted-printable values decoded in their charset; every other property as it was read. */
function decoded(p: VcardProperty): VcardProperty {
  if (!(p.params.encoding ?? []).some((e) => e.toLowerCase() === 'quoted-printable')) return p
  return { ...p, values: p.values.map((v) => decodeQuotedPrintable(v, p.params.charset?.[0])) }
}

/** 4.0's PREF=1 (most preferred) to 100, 3.0's and 2.1's TYPE=pref; unmarked values come after. */
function preference(p: VcardProperty): number {
  const pref = Number(p.params.pref?.[0])
  if (Number.isInteger(pref) && pref >= 1) return pref
  return (p.params.type ?? []).includes('pref') ? 1 : 101
}

type Ranked = { p: VcardProperty; rank: number; pref: number; order: number }

/** The properties by rank, then preference, then the order they were written in. */
function best(props: readonly VcardProperty[], rank: (p: VcardProperty) => number): VcardProperty[] {
  return props
    .map((p, order): Ranked => ({ p, rank: rank(p), pref: preference(p), order }))
    .sort((a, b) => a.rank - b.rank || a.pref - b.pref || a.order - b.order)
    .map((r) => r.p)
}

/** `tel:+1-555-0100;ext=5` (4.0's URI form) → "+1-555-0100". */
function phoneNumber(p: VcardProperty): string {
  return oneLine(p.values[0]).replace(/^tel:/i, '').replace(/;.*$/, '')
}

/** A cell-typed number (or one whose Apple label says mobile) takes the mobile; fax and pager numbers come last. */
function phones(props: readonly VcardProperty[], labels: Map<string, string>): { mobile: string; others: string[] } {
  const tels = props.filter((p) => p.name === 'tel' && phoneNumber(p) !== '')
  const rank = (p: VcardProperty) => {
    const types = p.params.type ?? []
    if (types.some((t) => MOBILE_TYPES.includes(t)) || SAYS_MOBILE.test(labels.get(p.group ?? '') ?? '')) return 0
    return types.some((t) => NOT_FOR_MESSAGES.includes(t)) ? 2 : 1
  }
  const [first] = best(tels, rank)
  const numbers = (first === undefined ? [] : [first, ...tels.filter((p) => p !== first)]).map(phoneNumber)
  const unique = [...new Set(numbers)]
  return { mobile: unique[0] ?? '', others: unique.slice(1) }
}

function emails(props: readonly VcardProperty[]): { email: string; others: string[] } {
  const all = props.filter((p) => p.name === 'email' && oneLine(p.values[0]) !== '')
  const [first] = best(all, () => 0)
  const addresses = (first === undefined ? [] : [first, ...all.filter((p) => p !== first)]).map((p) => oneLine(p.values[0]))
  const unique = [...new Set(addresses)]
  return { email: unique[0] ?? '', others: unique.slice(1) }
}

/** Apple writes a birthday without a year as year 1604 with X-APPLE-OMIT-YEAR=1604: it becomes --MM-DD. */
function birthday(p: VcardProperty | undefined): string {
  const value = oneLine(p?.values[0])
  const omitted = p?.params['x-apple-omit-year']?.[0]
  if (omitted !== undefined && /^\d{4}-\d{2}-\d{2}/.test(value) && value.startsWith(omitted)) return `--${value.slice(5, 10)}`
  return value
}

/** ADR: post office box; extended address; street; locality; region; postal code; country. Home first. */
function address(props: readonly VcardProperty[]): Partial<Record<Column, string>> {
  const [adr] = best(props.filter((p) => p.name === 'adr' && p.values.some((v) => v.trim() !== '')), (p) => ((p.params.type ?? []).includes('home') ? 0 : 1))
  if (adr === undefined) return {}
  const [box, extended, street, city, state, zip, country] = adr.values
  // An address's lines (Apple writes "1 Main St\nApt 4" in one component) are kept apart by commas.
  const streetLine = [street, extended, box].map((v) => (v ?? '').split(/\s*\n\s*/).map(oneLine).filter((s) => s !== '').join(', ')).filter((s) => s !== '').join(', ')
  return { Street: streetLine, City: oneLine(city), State: oneLine(state), Zip: oneLine(zip), Country: oneLine(country) }
}

/**
 * One card as a record under VCARD_COLUMNS: the values the row reader validates and maps, as it does a CSV row's.
 * Only the choices the format itself makes are taken here (which number is the mobile, which email and address
 * come first); whether a value is valid is the row reader's decision, with its reasons and warnings.
 */
export function cardRecord(properties: readonly VcardProperty[]): string[] {
  const props = properties.map(decoded)
  const first = (name: string) => props.find((p) => p.name === name)
  const labels = new Map(props.filter((p) => p.name === 'x-ablabel' && p.group !== null).map((p) => [p.group!, p.values[0] ?? '']))
  const n = first('n')?.values ?? []
  const org = first('org')?.values ?? []
  const tel = phones(props, labels)
  const mail = emails(props)
  const social = socialProfiles(props)
  const cells: Partial<Record<Column, string>> = {
    Name: oneLine(first('fn')?.values[0]),
    'Last Name': oneLine(n[0]), 'First Name': oneLine(n[1]), 'Middle Name': oneLine(n[2]),
    Mobile: tel.mobile, 'Other Phones': tel.others.join(LIST_SEPARATOR),
    Email: mail.email, 'Other Emails': mail.others.join(LIST_SEPARATOR),
    Birthday: birthday(first('bday')),
    Company: oneLine(org[0]) || org.map(oneLine).filter((v) => v !== '').join(', '),
    ...address(props),
    Categories: props.filter((p) => p.name === 'categories').flatMap((p) => p.values.map(oneLine)).filter((v) => v !== '').join(LABEL_SEPARATOR),
  }
  for (const [network, column] of Object.entries(SOCIAL_COLUMNS)) cells[column] = oneLine(social[network as keyof typeof SOCIAL_COLUMNS])
  return VCARD_COLUMNS.map((c) => cells[c] ?? '')
}
