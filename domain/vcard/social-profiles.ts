import type { SocialNetwork } from '../contact.ts'
import type { VcardProperty } from './card-record.ts'

// How each network is named in a TYPE or X-SERVICE-TYPE parameter or a URI scheme, and the hosts of its profiles.
const NETWORKS: { network: SocialNetwork; names: string[]; hosts: string[] }[] = [
  { network: 'instagram', names: ['instagram'], hosts: ['instagram.com', 'instagr.am'] },
  { network: 'facebook', names: ['facebook', 'fb'], hosts: ['facebook.com', 'fb.com'] },
  { network: 'linkedin', names: ['linkedin'], hosts: ['linkedin.com'] },
  { network: 'twitter', names: ['twitter', 'x'], hosts: ['twitter.com', 'x.com'] },
]

function networkNamed(names: readonly string[]): SocialNetwork | null {
  for (const name of names) {
    const found = NETWORKS.find((n) => n.names.includes(name.toLowerCase()))
    if (found !== undefined) return found.network
  }
  return null
}

function urlOf(value: string): URL | null {
  if (!/^(https?:\/\/)?([a-z0-9-]+\.)+[a-z]{2,}(\/|$)/i.test(value)) return null
  try {
    return new URL(/^https?:\/\//i.test(value) ? value : `https://${value}`)
  } catch {
    return null
  }
}

function networkOfUrl(url: URL | null): SocialNetwork | null {
  if (url === null) return null
  const host = url.hostname.toLowerCase().replace(/^(www\.|m\.|mobile\.)/, '')
  return NETWORKS.find((n) => n.hosts.includes(host))?.network ?? null
}

/** "xmpp:jdoe@chat.facebook.com" → "jdoe", "x-apple:jdoe" → "jdoe": the handle a URI that is not a web address names. */
function handleOf(value: string): string {
  return value.replace(/^[a-z][a-z0-9+.-]*:(\/\/)?/i, '').replace(/@.*$/, '')
}

type Profile = { network: SocialNetwork; value: string }

/**
 * Apple's `X-SOCIALPROFILE;type=twitter;x-user=jdoe:https://twitter.com/jdoe` (the network in TYPE, the value a
 * URL or `x-apple:<handle>`), `IMPP;X-SERVICE-TYPE=Facebook:xmpp:jdoe` and a `URL` whose host is a known network.
 */
function profileOf(p: VcardProperty): Profile | null {
  const value = (p.values[0] ?? '').trim()
  if (value === '') return null
  const url = urlOf(value)
  let network: SocialNetwork | null
  if (p.name === 'x-socialprofile') network = networkNamed(p.params.type ?? []) ?? networkOfUrl(url)
  else if (p.name === 'impp') network = networkNamed([...(p.params['x-service-type'] ?? []), value.split(':')[0] ?? '']) ?? networkOfUrl(url)
  else if (p.name === 'url') network = networkOfUrl(url)
  else return null
  if (network === null) return null
  if (url !== null && networkOfUrl(url) === network) return { network, value }
  return { network, value: p.params['x-user']?.[0] ?? handleOf(value) }
}

const ORDER = ['x-socialprofile', 'impp', 'url']

/** One profile per network: a social-profile property before an instant-messaging one before a plain URL. */
export function socialProfiles(properties: readonly VcardProperty[]): Partial<Record<SocialNetwork, string>> {
  const out: Partial<Record<SocialNetwork, string>> = {}
  for (const name of ORDER) {
    for (const p of properties) {
      if (p.name !== name) continue
      const profile = profileOf(p)
      if (profile !== null && out[profile.network] === undefined) out[profile.network] = profile.value
    }
  }
  return out
}
