import { countryOfE164 } from './phone.ts'

// Each rule relates the form WhatsApp may send to the form people write, for the same subscriber.
// https://developers.facebook.com/docs/whatsapp/cloud-api/reference/phone-numbers (wa_id vs. phone number)
const VARIANTS: { pattern: RegExp; canonical: (m: RegExpExecArray) => string; other: (m: RegExpExecArray) => string }[] = [
  // Brazil: mobiles gained a ninth digit (9) in 2012-2016; older accounts still arrive without it.
  { pattern: /^55(\d{2})9([6-9]\d{7})$/, canonical: (m) => `55${m[1]}9${m[2]}`, other: (m) => `55${m[1]}${m[2]}` },
  { pattern: /^55(\d{2})([6-9]\d{7})$/, canonical: (m) => `55${m[1]}9${m[2]}`, other: (m) => `55${m[1]}${m[2]}` },
  // Mexico: the mobile "1" after +52 was dropped in 2019; WhatsApp ids made before keep it.
  { pattern: /^521(\d{10})$/, canonical: (m) => `52${m[1]}`, other: (m) => `521${m[1]}` },
  { pattern: /^52(\d{10})$/, canonical: (m) => `52${m[1]}`, other: (m) => `521${m[1]}` },
  // Argentina: mobiles are +54 9 …; people and CRMs often store them without the 9.
  { pattern: /^549(\d{10})$/, canonical: (m) => `549${m[1]}`, other: (m) => `54${m[1]}` },
  { pattern: /^54([1-8]\d{9})$/, canonical: (m) => `549${m[1]}`, other: (m) => `54${m[1]}` },
]

export type WhatsAppMobile = { e164: string; country: string | null; variants: string[] }

/**
 * The contact mobile for a WhatsApp id. WhatsApp only gives ids to numbers that receive SMS codes, so the
 * number is real even where phone metadata calls it invalid (the UK drama range, new ranges): it is kept, and
 * its country comes from the calling code. `variants` are the other spellings of the same subscriber, for
 * matching contacts entered by hand.
 */
export function whatsappMobile(waId: string): WhatsAppMobile | null {
  const digits = waId.replace(/^\+/, '')
  if (!/^[1-9]\d{6,14}$/.test(digits)) return null
  let canonical = digits
  const variants: string[] = []
  for (const rule of VARIANTS) {
    const m = rule.pattern.exec(digits)
    if (m === null) continue
    canonical = rule.canonical(m)
    const other = rule.other(m)
    for (const form of [digits, other]) if (form !== canonical && !variants.includes(`+${form}`)) variants.push(`+${form}`)
    break
  }
  const e164 = `+${canonical}`
  return { e164, country: countryOfE164(e164), variants }
}

/** Every spelling of a mobile that names the same WhatsApp subscriber, the given one first. */
export function mobileVariants(e164: string): string[] {
  const found = whatsappMobile(e164)
  if (found === null) return [e164]
  return [...new Set([e164, found.e164, ...found.variants])]
}
