import type { SocialNetwork } from './contact.ts'

type SocialRule = { hosts: string[]; handle: RegExp; label: string }

const RULES: Record<SocialNetwork, SocialRule> = {
  instagram: { hosts: ['instagram.com', 'instagr.am'], handle: /^[a-z0-9._]{1,30}$/, label: 'Instagram' },
  twitter: { hosts: ['twitter.com', 'x.com'], handle: /^[a-z0-9_]{1,15}$/, label: 'X/Twitter' },
  facebook: { hosts: ['facebook.com', 'fb.com', 'm.facebook.com'], handle: /^[a-z0-9.]{1,50}$/, label: 'Facebook' },
  linkedin: { hosts: ['linkedin.com'], handle: /^(?:company\/)?[\p{L}\p{N}_-]{2,100}$/u, label: 'LinkedIn' },
}

export type SocialResult = { ok: true; handle: string } | { ok: false; message: string }

function hostMatches(host: string, rule: SocialRule): boolean {
  const bare = host.replace(/^(www\.|m\.)/, '')
  return rule.hosts.includes(bare)
}

function handleFromPath(network: SocialNetwork, url: URL): string | null {
  const parts = url.pathname.split('/').filter((p) => p !== '')
  if (network === 'facebook' && parts[0] === 'profile.php') return url.searchParams.get('id')
  if (network === 'linkedin') {
    if (parts[0] === 'in' && parts[1] !== undefined) return decodeURIComponent(parts[1])
    if (parts[0] === 'company' && parts[1] !== undefined) return `company/${decodeURIComponent(parts[1])}`
    return null
  }
  return parts[0] ?? null
}

/**
 * Stores every profile one way: the bare, lower-cased handle ("jane.doe"), whether the person typed
 * "@Jane.Doe", "instagram.com/jane.doe" or a full URL with tracking parameters. LinkedIn company pages keep
 * their "company/" prefix so they stay distinct from personal profiles.
 */
export function normalizeSocial(network: SocialNetwork, raw: string): SocialResult {
  const rule = RULES[network]
  const text = raw.trim()
  let handle: string | null = text.replace(/^@/, '')
  if (/^(https?:\/\/)?([a-z0-9-]+\.)*[a-z0-9-]+\.[a-z]{2,}\//i.test(text) || /^https?:\/\//i.test(text)) {
    let url: URL
    try {
      url = new URL(/^https?:\/\//i.test(text) ? text : `https://${text}`)
    } catch {
      return { ok: false, message: `"${text}" is not a valid URL` }
    }
    if (!hostMatches(url.hostname.toLowerCase(), rule)) {
      return { ok: false, message: `"${text}" is not a ${rule.label} profile URL` }
    }
    handle = handleFromPath(network, url)
    if (handle === null) return { ok: false, message: `"${text}" does not point to a ${rule.label} profile` }
  }
  handle = handle.toLowerCase()
  if (!rule.handle.test(handle)) return { ok: false, message: `"${text}" is not a valid ${rule.label} handle` }
  return { ok: true, handle }
}
