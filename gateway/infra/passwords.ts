import { timingSafeEqual } from 'node:crypto'

// OWASP's 2023 figure for PBKDF2-HMAC-SHA256. WebCrypto's PBKDF2 runs on Node and on Workers alike.
const ITERATIONS = 600_000
const SALT_BYTES = 16
const KEY_BITS = 256

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64')
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, key, KEY_BITS)
  return new Uint8Array(bits)
}

/** `pbkdf2-sha256$<iterations>$<salt>$<hash>`, with a salt of its own for every password. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES))
  return `pbkdf2-sha256$${ITERATIONS}$${b64(salt)}$${b64(await derive(password, salt, ITERATIONS))}`
}

/** Compares in constant time. Without a stored hash it still does the work, so timing does not tell who exists. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const [scheme, iterations, salt, hash] = (stored ?? '').split('$')
  if (scheme !== 'pbkdf2-sha256' || iterations === undefined || salt === undefined || hash === undefined) {
    await derive(password, new Uint8Array(SALT_BYTES), ITERATIONS)
    return false
  }
  const expected = Buffer.from(hash, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), Number(iterations))
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
