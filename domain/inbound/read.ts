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

/**
 * Parses a webhook body. PostgreSQL can hold neither a NUL character in text nor `\u0000` in jsonb, so a delivery
 * carrying one (a pasted message, a profile name) would fail every retry for a week; NULs become U+FFFD instead.
 * Raw control characters are invalid in JSON strings, so a NUL can only arrive as that escape.
 */
export function parseWebhookJson(text: string): unknown {
  const value: unknown = JSON.parse(text)
  return text.includes('\\u0000') ? withoutNul(value) : value
}

function withoutNul(value: unknown): unknown {
  if (typeof value === 'string') return value.replaceAll('\u0000', '\uFFFD')
  if (Array.isArray(value)) return value.map(withoutNul)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k.replaceAll('\u0000', '\uFFFD'), withoutNul(v)]))
  }
  return value
}
