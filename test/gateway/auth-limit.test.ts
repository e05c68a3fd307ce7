import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

function me(token: string | null, client: string): Promise<Response> {
  const headers: Record<string, string> = { 'x-test-client': client }
  if (token !== null) headers.authorization = `Bearer ${token}`
  return Promise.resolve(t.app.request('/v1/me', { headers }))
}

describe('failed authentications', () => {
  it('are limited per address with 429 and Retry-After; valid tokens and other addresses are not', async () => {
    const limit = t.deps.config.limits.authFailuresPerMinute
    expect(limit).toBe(20)
    // Unique per run: with REDIS_URL the counters outlive the test process.
    const guesser = `guesser-${process.pid}-${Date.now()}`
    const statuses: number[] = []
    for (let i = 0; i < 100; i++) statuses.push((await me(`cg_${randomBytes(24).toString('base64url')}`, guesser)).status)
    expect(statuses.slice(0, limit).every((s) => s === 401)).toBe(true)
    expect(statuses.slice(limit).every((s) => s === 429)).toBe(true)
    const limited = await me(null, guesser)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await me(ADMIN_TOKEN, guesser)).status).toBe(200)
    expect((await me('cg_wrong', `${guesser}-other`)).status).toBe(401)
  })
})
