import { createHmac, timingSafeEqual } from 'node:crypto'

const encoder = new TextEncoder()

/**
 * Meta signs the payload as its PHP json_encode would write it, with every non-ASCII character escaped
 * (`é` as `\u00e9`), while it sends the raw UTF-8; some deliveries are signed over the raw bytes.
 * https://developers.facebook.com/docs/messenger-platform/webhooks#validate-payloads
 */
export function escapeNonAscii(text: string): string {
  let out = ''
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    out += code < 0x80 ? text[i] : `\\u${code.toString(16).padStart(4, '0')}`
  }
  return out
}

function signedBy(secret: string, signature: Buffer, data: Uint8Array): boolean {
  return timingSafeEqual(createHmac('sha256', secret).update(data).digest(), signature)
}

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>` over the raw body, then over its escaped-unicode form, comparing with
 * timingSafeEqual. node:crypto (on Workers through nodejs_compat) computes the HMAC synchronously: WebCrypto's
 * importKey and verify, two promises and thread hops per delivery, were 8% of the CPU of a webhook request.
 */
export async function verifyMetaSignature(secret: string, header: string | undefined, body: Uint8Array): Promise<boolean> {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')
  if (match?.[1] === undefined) return false
  const signature = Buffer.from(match[1], 'hex')
  if (signedBy(secret, signature, body)) return true
  if (!body.some((b) => b >= 0x80)) return false
  return signedBy(secret, signature, encoder.encode(escapeNonAscii(new TextDecoder().decode(body))))
}

/** Equal strings, compared through their SHA-256 digests so that neither length nor content leaks through timing. */
export async function secretsEqual(expected: string, given: string | undefined): Promise<boolean> {
  if (given === undefined) return false
  const [a, b] = await Promise.all([crypto.subtle.digest('SHA-256', encoder.encode(expected)), crypto.subtle.digest('SHA-256', encoder.encode(given))])
  const x = new Uint8Array(a)
  const y = new Uint8Array(b)
  let diff = 0
  for (let i = 0; i < x.length; i++) diff |= x[i]! ^ y[i]!
  return diff === 0
}

/** HubSpot signs webhooks (v3) for five minutes; older ones are refused as possible replays. */
export const HUBSPOT_SIGNATURE_MAX_AGE_MS = 5 * 60_000

/**
 * HubSpot's v3 signature: base64 HMAC-SHA256, with the app's client secret, of method + URL + body + timestamp
 * (`X-HubSpot-Signature-v3`, `X-HubSpot-Request-Timestamp` in ms). HubSpot signs the URL it called; behind a proxy
 * that ends TLS the gateway sees http where HubSpot wrote https, so both schemes are tried.
 */
export function verifyHubSpotSignature(
  secret: string,
  r: { method: string; url: string; body: string; timestamp: string | undefined; signature: string | undefined; now: number },
): boolean {
  if (r.signature === undefined || r.timestamp === undefined || !/^\d{1,16}$/.test(r.timestamp)) return false
  if (Math.abs(r.now - Number(r.timestamp)) > HUBSPOT_SIGNATURE_MAX_AGE_MS) return false
  const given = Buffer.from(r.signature.trim(), 'base64')
  if (given.length !== 32) return false
  const urls = new Set([r.url, r.url.replace(/^http:/, 'https:'), r.url.replace(/^https:/, 'http:')])
  let ok = false
  for (const url of urls) {
    const expected = createHmac('sha256', secret).update(`${r.method}${url}${r.body}${r.timestamp}`, 'utf8').digest()
    if (timingSafeEqual(expected, given)) ok = true
  }
  return ok
}
