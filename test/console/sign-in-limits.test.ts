import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureAdminSignIn } from '../../gateway/actions/sign-in.ts'
import { startTestApp, type TestApp } from '../helpers/app.ts'

const ORIGIN = 'http://localhost'
// Limits live in Redis when it is configured, which outlives a test run: each run signs in as someone new.
const EMAIL = `owner-${crypto.randomUUID().slice(0, 8)}@example.com`

function form(t: TestApp, path: string, fields: Record<string, string>, client = '198.51.100.7'): Promise<Response> {
  return Promise.resolve(t.app.request(`${ORIGIN}${path}`, {
    method: 'POST', body: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, 'x-test-client': client },
  }))
}

describe('console sign-in limits and the setup link', () => {
  let t: TestApp
  let setupCode: string | null
  beforeAll(async () => {
    t = await startTestApp()
    setupCode = await ensureAdminSignIn(t.deps)
  })
  afterAll(async () => t?.close())

  it('gives the built-in admin a single-use setup link that chooses the email and password', async () => {
    expect(setupCode).not.toBeNull()
    const page = await t.app.request(`${ORIGIN}/console/setup?code=${setupCode}`)
    expect(await page.text()).toContain('Choose your password')
    const chosen = await form(t, '/console/setup', { code: setupCode as string, email: EMAIL.toUpperCase(), password: 'a long admin password' })
    expect(chosen.status).toBe(303)
    expect(chosen.headers.get('set-cookie')).toMatch(/cg_session=.*HttpOnly.*SameSite=Lax/i)
    expect((await form(t, '/console/setup', { code: setupCode as string, email: 'x@example.com', password: 'another long password' })).status).toBe(410)
    expect(await ensureAdminSignIn(t.deps)).toBeNull()
    const signedIn = await form(t, '/console/sign-in', { email: EMAIL, password: 'a long admin password' })
    expect(signedIn.status).toBe(303)
  })

  it('limits failed sign-ins per email, then refuses even the right password until the window ends', async () => {
    for (let i = 0; i < 5; i++) expect((await form(t, '/console/sign-in', { email: EMAIL, password: `wrong ${i}` }, `203.0.113.${i}`)).status).toBe(401)
    const limited = await form(t, '/console/sign-in', { email: EMAIL, password: 'a long admin password' }, '203.0.113.99')
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await limited.text()).toMatch(/Try again in \d+ minutes?/)
  })
})
