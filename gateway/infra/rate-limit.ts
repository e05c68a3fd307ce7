import { Ratelimit } from '@upstash/ratelimit'
import type { Logger } from 'pino'
import type { RedisClient } from './redis.ts'

export type RateRule = { name: string; limit: number; windowSeconds: number }
export type RateDecision = { allowed: boolean; retryAfterSeconds: number }

export interface RateLimiter {
  hit(rule: RateRule, key: string): Promise<RateDecision>
  /** Whether one more hit would be allowed, without counting one: for limits that count only failures. */
  peek(rule: RateRule, key: string): Promise<RateDecision>
}

/** Fixed windows in process memory: the default when no Redis is configured. */
export function memoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<string, { resetAt: number; count: number }>()
  return {
    async hit(rule, key) {
      const t = now()
      if (windows.size > 100_000) for (const [k, w] of windows) if (w.resetAt <= t) windows.delete(k)
      const id = `${rule.name}:${key}`
      let w = windows.get(id)
      if (w === undefined || w.resetAt <= t) {
        w = { resetAt: t + rule.windowSeconds * 1000, count: 0 }
        windows.set(id, w)
      }
      w.count++
      return w.count <= rule.limit ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - t) / 1000)) }
    },
    async peek(rule, key) {
      const t = now()
      const w = windows.get(`${rule.name}:${key}`)
      if (w === undefined || w.resetAt <= t || w.count < rule.limit) return { allowed: true, retryAfterSeconds: 0 }
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((w.resetAt - t) / 1000)) }
    },
  }
}

async function sha1(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', new TextEncoder().encode(text))
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/**
 * The slice of the Upstash Redis client that @upstash/ratelimit calls, over node-redis. Its Lua scripts (2.1+)
 * begin with `#!lua flags=allow-key-locking`, which open-source Redis rejects, so that line is stripped and
 * the scripts are cached under their stripped hash.
 */
function upstashAdapter(client: RedisClient) {
  const strippedHash = new Map<string, string>()
  const toStrings = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)))
  return {
    async eval(script: string, keys: string[], args: unknown[]) {
      const body = script.replace(/^#!lua[^\n]*\n/, '')
      const hash = await sha1(script)
      strippedHash.set(hash, await sha1(body))
      return client.eval(body, { keys, arguments: toStrings(args) })
    },
    async evalsha(hash: string, keys: string[], args: unknown[]) {
      const stripped = strippedHash.get(hash)
      if (stripped === undefined) throw new Error('NOSCRIPT script not loaded through this adapter yet')
      return client.evalSha(stripped, { keys, arguments: toStrings(args) })
    },
    get: (key: string) => client.get(key),
    set: (key: string, value: string) => client.set(key, value),
  }
}

/** Limits shared by every gateway process through Redis; fails open (and says so once) when Redis is down. */
export function redisRateLimiter(client: RedisClient, logger: Logger): RateLimiter {
  const redis = upstashAdapter(client) as unknown as ConstructorParameters<typeof Ratelimit>[0]['redis']
  const limiters = new Map<string, Ratelimit>()
  let warned = false
  const limiterFor = (rule: RateRule): Ratelimit => {
    let limiter = limiters.get(rule.name)
    if (limiter === undefined) {
      limiter = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(rule.limit, `${rule.windowSeconds} s`), prefix: `cg:rl:${rule.name}`, timeout: 250, analytics: false, ephemeralCache: false })
      limiters.set(rule.name, limiter)
    }
    return limiter
  }
  return {
    async peek(rule, key) {
      try {
        const r = await limiterFor(rule).getRemaining(key)
        return r.remaining > 0 ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((r.reset - Date.now()) / 1000)) }
      } catch {
        return { allowed: true, retryAfterSeconds: 0 }
      }
    },
    async hit(rule, key) {
      const limiter = limiterFor(rule)
      try {
        const r = await limiter.limit(key)
        warned = false
        return { allowed: r.success, retryAfterSeconds: r.success ? 0 : Math.max(1, Math.ceil((r.reset - Date.now()) / 1000)) }
      } catch (err) {
        if (!warned) logger.warn({ err: { message: (err as Error).message } }, 'rate limiter unavailable; allowing requests')
        warned = true
        return { allowed: true, retryAfterSeconds: 0 }
      }
    },
  }
}
