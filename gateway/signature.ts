const encoder = new TextEncoder()

function hexToBytes(hex: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return null
  const bytes = new Uint8Array(32)
  for (let i = 0; i < 32; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return bytes
}

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

/**
 * Checks `X-Hub-Signature-256: sha256=<hex>` over the raw body, then over its escaped-unicode form.
 * crypto.subtle.verify compares in constant time on Node and Workers alike.
 */
export async function verifyMetaSignature(secret: string, header: string | undefined, body: Uint8Array): Promise<boolean> {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')
  const signature = match?.[1] === undefined ? null : hexToBytes(match[1])
  if (signature === null) return false
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['verify'])
  if (await crypto.subtle.verify('HMAC', key, signature, body)) return true
  if (!body.some((b) => b >= 0x80)) return false
  const escaped = encoder.encode(escapeNonAscii(new TextDecoder().decode(body)))
  return crypto.subtle.verify('HMAC', key, signature, escaped)
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
