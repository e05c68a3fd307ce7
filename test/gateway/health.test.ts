import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'

describe('/healthz', () => {
  let t: TestApp
  beforeAll(async () => {
    t = await startTestApp()
  })
  afterAll(async () => {
    await t.close()
  })

  it('reports the database up and Redis as configured', async () => {
    const res = await t.call('GET', '/healthz', undefined, null)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ ok: true, db: 'up', redis: process.env.REDIS_URL ? 'up' : 'memory' })
  })
})

describe('/healthz with Redis unreachable', () => {
  let t: TestApp
  let port = 0
  beforeAll(async () => {
    // A port that was free a moment ago: nothing listens there, so connections are refused.
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    port = (probe.address() as { port: number }).port
    await new Promise((resolve) => probe.close(resolve))
    t = await startTestApp({ REDIS_URL: `redis://127.0.0.1:${port}` })
  })
  afterAll(async () => {
    await t.close()
  })

  it('keeps serving and says redis: down', async () => {
    const res = await t.call('GET', '/healthz', undefined, null)
    expect(res.status).toBe(200)
    expect(await json(res)).toEqual({ ok: true, db: 'up', redis: 'down' })
    expect((await t.call('GET', '/v1/me')).status).toBe(200)
  })
})

describe('/healthz with the database gone', () => {
  it('answers 503, and the API answers 503 database_unavailable', async () => {
    const t = await startTestApp()
    await t.db.close()
    const health = await t.call('GET', '/healthz', undefined, null)
    expect(health.status).toBe(503)
    expect(await json(health)).toMatchObject({ ok: false, db: 'down' })
    const api = await t.call('GET', '/v1/me')
    expect(api.status).toBe(503)
    expect(await json(api)).toMatchObject({ error: { code: 'database_unavailable' } })
    await t.close()
  })
})
