import { describe, expect, it } from 'vitest'
import { memoryIdempotencyStore } from '../../gateway/infra/idempotency.ts'

describe('memoryIdempotencyStore', () => {
  it('claims a key once, replays the stored answer, and forgets it after its time', async () => {
    let t = 0
    const store = memoryIdempotencyStore(() => t)
    expect(await store.claim('k', 10)).toEqual({ state: 'new' })
    expect(await store.claim('k', 10)).toEqual({ state: 'in_progress' })
    await store.complete('k', { status: 202, body: { ok: true } }, 10)
    expect(await store.claim('k', 10)).toEqual({ state: 'done', response: { status: 202, body: { ok: true } } })
    t = 10_001
    expect(await store.claim('k', 10)).toEqual({ state: 'new' })
  })

  it('keeps unexpired keys when it sweeps many expired ones', async () => {
    let t = 0
    const store = memoryIdempotencyStore(() => t)
    await store.claim('kept', 1000)
    for (let i = 0; i < 10_050; i++) await store.claim(`old-${i}`, 1)
    t = 5_000
    expect(await store.claim('fresh', 1)).toEqual({ state: 'new' })
    expect(await store.claim('kept', 1000)).toEqual({ state: 'in_progress' })
    expect(await store.claim('old-1', 1)).toEqual({ state: 'new' })
  })

  it('releases a claim so that a failed attempt can be retried', async () => {
    const store = memoryIdempotencyStore(() => 0)
    await store.claim('k', 10)
    await store.release('k')
    expect(await store.claim('k', 10)).toEqual({ state: 'new' })
  })
})
