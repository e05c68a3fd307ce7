/** Tolerant readers for webhook JSON: a field of an unexpected type reads as absent instead of failing the payload. */
export type Json = Record<string, unknown>

export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

export function str(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  return undefined
}

/** Meta sends seconds as strings on WhatsApp and milliseconds as numbers on Messenger/Instagram. */
export function timestamp(value: unknown, unit: 's' | 'ms', fallback: Date): Date {
  const n = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN
  if (!Number.isFinite(n) || n <= 0) return fallback
  const date = new Date(unit === 's' ? n * 1000 : n)
  return Number.isNaN(date.getTime()) ? fallback : date
}

const STOP_WORDS = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'OPT OUT', 'BAJA', 'PARAR', 'ARRET', 'ARRÊT'])

/** A message whose whole text is an opt-out keyword, as carriers and Meta's own policy treat it. */
export function isStopKeyword(text: string | null): boolean {
  if (text === null) return false
  return STOP_WORDS.has(text.trim().replace(/[.!]+$/, '').toUpperCase())
}

/** Deeper than any payload Meta or a CRM documents (about ten levels), far from what serializing can take. */
export const MAX_WEBHOOK_DEPTH = 64
export const TOO_DEEP = `[nested deeper than ${MAX_WEBHOOK_DEPTH} levels; not stored]`

/**
 * Parses a webhook body. PostgreSQL can hold neither a NUL character in text nor `\u0000` in jsonb, so a delivery
 * carrying one (a pasted message, a profile name) would fail every retry for a week; NULs become U+FFFD instead.
 * Raw control characters are invalid in JSON strings, so a NUL can only arrive as that escape. For the same
 * reason, whatever is nested deeper than MAX_WEBHOOK_DEPTH becomes the TOO_DEEP marker: JSON.parse reads any
 * depth, but storing the raw JSON (JSON.stringify) overflows the stack some thousands of levels down.
 * `onCut` hears how many values were cut, so that the caller can log it.
 */
export function parseWebhookJson(text: string, onCut: (values: number) => void = () => {}): unknown {
  let value: unknown = JSON.parse(text)
  if (nestingDepth(text) > MAX_WEBHOOK_DEPTH) {
    const cut = { values: 0 }
    value = withinDepth(value, 0, cut)
    onCut(cut.values)
  }
  return text.includes('\\u0000') ? withoutNul(value) : value
}

/** The deepest nesting of brackets outside strings, read from the text: no recursion, whatever the depth. */
function nestingDepth(text: string): number {
  let depth = 0
  let max = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth)
    else if (c === 0x5d || c === 0x7d) depth--
  }
  return max
}

function withinDepth(value: unknown, depth: number, cut: { values: number }): unknown {
  if (typeof value !== 'object' || value === null) return value
  if (depth >= MAX_WEBHOOK_DEPTH) {
    cut.values++
    return TOO_DEEP
  }
  if (Array.isArray(value)) return value.map((v) => withinDepth(v, depth + 1, cut))
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withinDepth(v, depth + 1, cut)]))
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD')
  if (Array.isArray(value)) return value.map(withoutNul)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', '\uFFFD'), withoutNul(v)]))
  }
  return value
}
