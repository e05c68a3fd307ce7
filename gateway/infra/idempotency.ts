import type { RedisClient } from './redis.ts'

export type StoredResponse = { status: number; body: unknown }
export type Claim = { state: 'new' } | { state: 'done'; response: StoredResponse } | { state: 'in_progress' }

/** Remembers what a request with an Idempotency-Key answered, so a retried request is not carried out twice. */
export interface IdempotencyStore {
  claim(key: string, ttlSeconds: number): Promise<Claim>
  complete(key: string, response: StoredResponse, ttlSeconds: number): Promise<void>
  release(key: string): Promise<void>
}

const SWEEP_ABOVE_ENTRIES = 10_000

/** The in-process store (no REDIS_URL): one process only; expired keys are swept once there are many. */
export function memoryIdempotencyStore(now: () => number = Date.now): IdempotencyStore {
  const entries = new Map<string, { expires: number; response: StoredResponse | null }>()
  return {
    async claim(key, ttl) {
      const t = now()
      // Expired keys would otherwise stay for the life of the process.
      if (entries.size > SWEEP_ABOVE_ENTRIES) for (const [k, e] of entries) if (e.expires <= t) entries.delete(k)
      const entry = entries.get(key)
      if (entry !== undefined && entry.expires > t) return entry.response === null ? { state: 'in_progress' } : { state: 'done', response: entry.response }
      entries.set(key, { expires: t + ttl * 1000, response: null })
      return { state: 'new' }
    },
    async complete(key, response, ttl) {
      entries.set(key, { expires: now() + ttl * 1000, response })
    },
    async release(key) {
      entries.delete(key)
    },
  }
}

/** Shared by every gateway process; SET NX makes the claim atomic. Errors propagate: without the store a keyed send is refused. */
export function redisIdempotencyStore(client: RedisClient): IdempotencyStore {
  const name = (key: string) => `cg:idem:${key}`
  return {
    async claim(key, ttl) {
      const claimed = await client.set(name(key), JSON.stringify({ state: 'in_progress' }), { NX: true, EX: ttl })
      if (claimed === 'OK') return { state: 'new' }
      const raw = await client.get(name(key))
      const parsed = raw === null ? null : (JSON.parse(raw) as { state: string; response?: StoredResponse })
      if (parsed?.state === 'done' && parsed.response !== undefined) return { state: 'done', response: parsed.response }
      return { state: 'in_progress' }
    },
    async complete(key, response, ttl) {
      await client.set(name(key), JSON.stringify({ state: 'done', response }), { EX: ttl })
    },
    async release(key) {
      await client.del(name(key))
    },
  }
}
