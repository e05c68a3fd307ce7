/**
 * A header as words, the way contact tools write them: "Phone 1 - Value", "Business Country/Region",
 * "E-mail 2 Address", "dateOfBirth", "MOBILE_NUMBER". Case, accents, punctuation and camelCase do not matter;
 * numbering and group words (Home, Business, Mailing, Primary, Other…) are taken off and kept aside.
 */
export type HeaderWords = {
  /** What the column is, with numbering and group words removed: "phone", "postal code". */
  words: string[]
  /** The first number in the header ("Phone 2", "Address 1 - City"), or null. */
  number: number | null
  /** The group word: home, business, other… (synonyms folded), or null. */
  group: string | null
  /** "Phone 1 - Label" / "- Type" name the kind of the value next to them rather than being a value. */
  isLabel: boolean
}

// Synonyms fold into one group: a "Work Phone" is a business phone, a "Secondary Email" another email.
const GROUPS: Record<string, string> = {
  home: 'home', personal: 'home', private: 'home', mailing: 'home', primary: 'primary', main: 'primary',
  business: 'business', work: 'business', office: 'business', billing: 'billing', shipping: 'billing',
  other: 'other', secondary: 'other', alternate: 'other', alternative: 'other', alt: 'other',
}

// Words that spell one word apart ("E-mail", "LinkedIn" split by camelCase, "WhatsApp").
const JOINED: [string, string, string][] = [['e', 'mail', 'email'], ['linked', 'in', 'linkedin'], ['whats', 'app', 'whatsapp'], ['post', 'code', 'postcode']]

export function splitWords(header: string): string[] {
  const text = header
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2')
    .toLowerCase()
  const words = text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '')
  const out: string[] = []
  for (const w of words) {
    const prev = out[out.length - 1]
    const join = JOINED.find(([a, b]) => a === prev && b === w)
    if (join !== undefined) out[out.length - 1] = join[2]
    else out.push(w)
  }
  return out
}

export function headerWords(header: string): HeaderWords {
  let words = splitWords(header)
  let number: number | null = null
  words = words.filter((w) => {
    if (!/^\d+$/.test(w)) return true
    number ??= Number(w)
    return false
  })
  let isLabel = false
  const last = words[words.length - 1]
  if (words.length > 1 && (last === 'label' || last === 'type')) {
    isLabel = true
    words = words.slice(0, -1)
  } else if (words.length > 1 && last === 'value') words = words.slice(0, -1)
  let group: string | null = null
  while (words.length > 1 && GROUPS[words[0]!] !== undefined) {
    group ??= GROUPS[words[0]!]!
    words = words.slice(1)
  }
  while (words.length > 1 && GROUPS[words[words.length - 1]!] !== undefined) {
    group ??= GROUPS[words[words.length - 1]!]!
    words = words.slice(0, -1)
  }
  return { words, number, group, isLabel }
}
