import { existsSync, mkdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe } from 'vitest'
import { startTestApp, type TestApp } from './app.ts'

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => p !== undefined && p !== '')
  const found = candidates.find((p) => existsSync(p)) ?? null
  // CI installs Chromium, so there a missing browser is a failure, not a reason to skip.
  if (found === null && process.env.REQUIRE_BROWSER === '1') throw new Error('REQUIRE_BROWSER=1 but no Chromium at CHROMIUM_PATH or /usr/bin/chromium')
  if (found === null) console.log('Browser tests skipped: no Chromium installed (apt-get install chromium, or set CHROMIUM_PATH).')
  return found
}

export const ADMIN_EMAIL = 'admin@example.com'
export const ADMIN_PASSWORD = 'correct horse battery staple'

export type ConsoleHarness = { t: TestApp; base: string; browser: Browser; close(): Promise<void> }

/** The whole app on a loopback port, as a browser reaches it, with the admin's sign-in set. */
export async function startConsole(executablePath: string, env: Record<string, string> = {}): Promise<ConsoleHarness> {
  const t = await startTestApp({ ADMIN_EMAIL, ADMIN_PASSWORD, ...env })
  const { ensureAdminSignIn } = await import('../../gateway/actions/sign-in.ts')
  await ensureAdminSignIn(t.deps)
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  return {
    t, base, browser,
    async close() {
      await browser.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await t.close()
    },
  }
}

/**
 * A block of browser tests on one console: skipped (with the one-line note) where no Chromium is installed, and
 * the harness started before its first test and closed after its last. `h` is filled in by then.
 */
export function describeInBrowser(topic: string, env: Record<string, string>, tests: (h: ConsoleHarness) => void): void {
  const browserPath = chromiumPath()
  describe.skipIf(browserPath === null)(`the console in a real browser: ${topic}`, { timeout: 120_000 }, () => {
    const h = {} as ConsoleHarness
    beforeAll(async () => {
      Object.assign(h, await startConsole(browserPath as string, env))
    })
    afterAll(async () => {
      if ('close' in h) await h.close()
    })
    tests(h)
  })
}

/**
 * A fresh browser profile that fails the test on any script error or dialog the page raises; `options` set the
 * profile's locale, time zone or screen, as a visitor's own browser would have them.
 */
export async function newVisitor(h: ConsoleHarness, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await h.browser.newContext({ ...options, baseURL: h.base })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss() })
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  // A refused form answers 422 by design; the browser logs every such status, which is not a script error.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console error: ${m.text()}`) })
  return { context, page, problems }
}

export async function signIn(page: Page, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  await page.goto('/console/sign-in')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL(/\/console\/contacts/)
}

/** A new user, signed in by following their one-time link and choosing a password, as an agent would. */
export async function signInWithPasswordLink(page: Page, passwordLink: string, password: string): Promise<void> {
  const link = new URL(passwordLink)
  await page.goto(`${link.pathname}${link.search}`)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Save password' }).click()
  await page.waitForURL(/\/console\/contacts/)
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = new URL('../artifacts/', import.meta.url).pathname
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: `${dir}${name}.png`, fullPage: true })
}
