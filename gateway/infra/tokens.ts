import { createHash } from 'node:crypto'

const TOKEN_BYTES = 32

/** A new API token: 256 random bits, URL-safe, with a prefix that makes leaked tokens easy to grep for. */
export function generateToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(TOKEN_BYTES))
  const b64 = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
  return `cg_${b64}`
}

/**
 * Tokens are stored only as SHA-256; lookups by hash make the comparison independent of the secret's bytes.
 * node:crypto (on Workers through nodejs_compat) hashes synchronously: WebCrypto's digest, a promise and a
 * thread hop per call, was 12% of the CPU of an admin request (measured on /v1/outbound/check).
 */
export async function hashToken(token: string): Promise<Uint8Array> {
  return new Uint8Array(createHash('sha256').update(token, 'utf8').digest())
}
