import type { AddressPart, SocialNetwork } from '../contact.ts'

/** What a CSV column feeds. `firstName`/`lastName` are joined into the name when there is no name column. */
export type ColumnTarget =
  | 'name' | 'firstName' | 'lastName' | 'mobile' | 'email' | 'dateOfBirth' | 'company'
  | AddressPart
  | SocialNetwork
  | 'otherMobile' | 'otherEmail'

// Keys are headers reduced by headerKey(): lower case, letters and digits only.
const ALIASES: Record<string, ColumnTarget> = {
  name: 'name', fullname: 'name', contactname: 'name', displayname: 'name', customername: 'name',
  firstname: 'firstName', givenname: 'firstName', forename: 'firstName',
  lastname: 'lastName', surname: 'lastName', familyname: 'lastName',
  phone: 'mobile', mobile: 'mobile', mobilenumber: 'mobile', mobilephone: 'mobile', phonenumber: 'mobile',
  whatsapp: 'mobile', whatsappnumber: 'mobile', cell: 'mobile', cellphone: 'mobile', cellnumber: 'mobile', tel: 'mobile',
  telephone: 'mobile',
  email: 'email', emailaddress: 'email', mail: 'email',
  dob: 'dateOfBirth', birthday: 'dateOfBirth', dateofbirth: 'dateOfBirth', birthdate: 'dateOfBirth',
  company: 'company', companyname: 'company', organization: 'company', organisation: 'company', employer: 'company',
  street: 'street', address: 'street', streetaddress: 'street', address1: 'street', addressline1: 'street',
  city: 'city', town: 'city',
  state: 'state', province: 'state', region: 'state', county: 'state',
  zip: 'zip', zipcode: 'zip', postalcode: 'zip', postcode: 'zip',
  country: 'country', countrycode: 'country',
  instagram: 'instagram', facebook: 'facebook', linkedin: 'linkedin', twitter: 'twitter', x: 'twitter',
  otherphone: 'otherMobile', otherphones: 'otherMobile', phone2: 'otherMobile', mobile2: 'otherMobile',
  othermobile: 'otherMobile', othermobiles: 'otherMobile',
  otheremail: 'otherEmail', otheremails: 'otherEmail', email2: 'otherEmail',
}

/** Case, spaces and punctuation do not matter: "E-mail Address", "email_address" and "EMAIL ADDRESS" are one key. */
export function headerKey(header: string): string {
  return header.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '')
}

export type ColumnMap = {
  /** The target of each column by position, or null when the column is ignored. */
  targets: (ColumnTarget | null)[]
  /** Headers as written, for reasons that name the column. */
  headers: string[]
  /** Columns that feed nothing, as written. */
  ignored: string[]
}

/** The widest file an import takes: wider ones are generated or broken, and every row would carry them all. */
export const MAX_COLUMNS = 1000

/** Why a header row is too wide to import, or null. */
export function tooManyColumns(headers: string[]): string | null {
  return headers.length > MAX_COLUMNS ? `the header row has ${headers.length} columns; an import takes at most ${MAX_COLUMNS}, so nothing was imported` : null
}

export type ColumnMapResult = { ok: true; map: ColumnMap } | { ok: false; message: string }

const CONTACT_POINTS: ColumnTarget[] = ['mobile', 'email', 'otherMobile', 'otherEmail']

/**
 * Matches a header row to contact fields. A second phone or email column feeds the other mobiles or emails;
 * any other repeated field keeps its first column and ignores the rest rather than guess which one is right.
 */
export function mapColumns(headers: string[]): ColumnMapResult {
  const targets: (ColumnTarget | null)[] = []
  const ignored: string[] = []
  const seen = new Set<ColumnTarget>()
  for (const header of headers) {
    let target: ColumnTarget | null = ALIASES[headerKey(header)] ?? null
    if (target !== null && seen.has(target)) {
      if (target === 'mobile') target = 'otherMobile'
      else if (target === 'email') target = 'otherEmail'
      else if (target !== 'otherMobile' && target !== 'otherEmail') target = null
    }
    if (target === null) {
      if (header.trim() !== '') ignored.push(header)
    } else seen.add(target)
    targets.push(target)
  }
  if (!CONTACT_POINTS.some((t) => seen.has(t))) {
    const found = headers.filter((h) => h.trim() !== '').map((h) => `"${h}"`).join(', ')
    return {
      ok: false,
      message: `the header row has no phone or email column (found: ${found || 'nothing'}); a contact needs a mobile or an email, so nothing was imported`,
    }
  }
  return { ok: true, map: { targets, headers, ignored } }
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
