import { pino } from 'pino'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { memoryIdempotencyStore, redisIdempotencyStore, type IdempotencyStore } from '../../gateway/infra/idempotency.ts'
import { memoryRateLimiter, redisRateLimiter, type RateLimiter } from '../../gateway/infra/rate-limit.ts'
import { connectRedis } from '../../gateway/infra/redis.ts'

// One suite for every implementation of a port, as unstorage runs one suite for every driver: the memory stores
// always, the Redis ones where REDIS_URL is set (CI runs both).
const redisUrl = process.env.REDIS_URL === '' ? undefined : process.env.REDIS_URL
const redis = connectRedis(redisUrl, pino({ level: 'silent' }))
afterAll(() => redis.close())

const run = crypto.randomUUID().slice(0, 8)
const limiters: [string, () => RateLimiter][] = [['memory', () => memoryRateLimiter()]]
const stores: [string, () => IdempotencyStore][] = [['memory', () => memoryIdempotencyStore()]]
if (redis.client !== null) {
  const client = redis.client
  limiters.push(['redis', () => redisRateLimiter(client, pino({ level: 'silent' }))])
  stores.push(['redis', () => redisIdempotencyStore(client)])
}

// The Redis limiter fails open when Redis answers slower than 250 ms, as the first script load on a fresh,
// busy server can: wait until a limit of zero is enforced, so the tests measure the rules, not the warm-up.
async function warmed(limiter: RateLimiter): Promise<RateLimiter> {
  await vi.waitFor(async () => expect((await limiter.hit({ name: `warm-${run}`, limit: 0, windowSeconds: 60 }, 'w')).allowed).toBe(false), { timeout: 10_000, interval: 100 })
  return limiter
}

describe.each(limiters)('RateLimiter contract: %s', (_name, make) => {
  it('allows up to the limit per key, then refuses with a time to wait; keys and rules are apart', async () => {
    const limiter = await warmed(make())
    const rule = { name: `contract-${run}`, limit: 3, windowSeconds: 60 }
    for (let i = 0; i < 3; i++) expect((await limiter.hit(rule, 'a')).allowed).toBe(true)
    const refused = await limiter.hit(rule, 'a')
    expect(refused.allowed).toBe(false)
    expect(refused.retryAfterSeconds).toBeGreaterThan(0)
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(60)
    expect((await limiter.hit(rule, 'b')).allowed).toBe(true)
    expect((await limiter.hit({ ...rule, name: `other-${run}` }, 'a')).allowed).toBe(true)
  })

  it('peeks without counting', async () => {
    const limiter = await warmed(make())
    const rule = { name: `peek-${run}`, limit: 2, windowSeconds: 60 }
    for (let i = 0; i < 5; i++) expect((await limiter.peek(rule, 'p')).allowed).toBe(true)
    await limiter.hit(rule, 'p')
    expect((await limiter.peek(rule, 'p')).allowed).toBe(true)
    await limiter.hit(rule, 'p')
    const blocked = await limiter.peek(rule, 'p')
    expect(blocked.allowed).toBe(false)
    expect(blocked.retryAfterSeconds).toBeGreaterThan(0)
  })
})

describe.each(stores)('IdempotencyStore contract: %s', (_name, make) => {
  it('claims a key once, replays the stored answer, and lets a released claim be retried', async () => {
    const store = make()
    const key = `contract-${run}-${crypto.randomUUID()}`
    expect(await store.claim(key, 60)).toEqual({ state: 'new' })
    expect(await store.claim(key, 60)).toEqual({ state: 'in_progress' })
    await store.release(key)
    expect(await store.claim(key, 60)).toEqual({ state: 'new' })
    await store.complete(key, { status: 202, body: { id: 'm1' } }, 60)
    expect(await store.claim(key, 60)).toEqual({ state: 'done', response: { status: 202, body: { id: 'm1' } } })
  })
})
