import { findUserByTokenHash, type User } from '../../storage/users.ts'
import type { Sql } from '../../storage/sql.ts'

export interface UserResolver {
  /** The active user holding this token hash, or null. */
  byTokenHash(hash: Uint8Array): Promise<User | null>
  /** Forget everything: called when a user changes in this process. */
  clear(): void
}

const MAX_ENTRIES = 10_000

/**
 * Every admin request starts by mapping its token to a user; caching that for a few seconds takes a query off
 * each request. A deactivated user or rotated token stops working in this process at once (clear()) and in
 * other processes within `ttlMs`. Unknown tokens are never cached, so random tokens cannot fill the cache.
 */
export function cachedUserResolver(sql: Sql, ttlMs: number, now: () => number = Date.now): UserResolver {
  const cache = new Map<string, { user: User; expires: number }>()
  const keyOf = (hash: Uint8Array) => Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64')
  return {
    async byTokenHash(hash) {
      const key = keyOf(hash)
      const hit = cache.get(key)
      if (hit !== undefined && hit.expires > now()) return hit.user
      const user = await findUserByTokenHash(sql, hash)
      if (user === null) {
        cache.delete(key)
        return null
      }
      if (cache.size >= MAX_ENTRIES) cache.clear()
      cache.set(key, { user, expires: now() + ttlMs })
      return user
    },
    clear: () => cache.clear(),
  }
}
