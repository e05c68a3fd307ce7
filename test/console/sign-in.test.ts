import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, it } from 'vitest'
import { json } from '../helpers/app.ts'
import { describeInBrowser, newVisitor, signIn } from '../helpers/browser.ts'

describeInBrowser('sign-in and what each user may see', {}, (h) => {
  it('sends a signed-out visitor to sign in, refuses a wrong pair without saying which half, and signs out for good', async () => {
    const { page, problems } = await newVisitor(h)
    await page.goto('/console/contacts')
    expect(new URL(page.url()).pathname).toBe('/console/sign-in')
    await page.getByLabel('Email').fill('admin@example.com')
    await page.getByLabel('Password').fill('not the password at all')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('That email and password do not match an account.')

    await signIn(page)
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'cg_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/console' })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(/sign-in/)
    await page.goBack()
    await page.waitForLoadState()
    expect(new URL(page.url()).pathname).toBe('/console/sign-in')
    expect(await page.getByRole('table').count()).toBe(0)
    expect(problems).toEqual([])
  })

  it('hands a new user a one-time link where they choose a password and sign in; an agent cannot open Users or others’ imports', async () => {
    const { page } = await newVisitor(h)
    await signIn(page)
    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByLabel('Name').fill('Agnes Agent')
    await page.getByLabel('Email').fill('agnes@example.com')
    await page.getByRole('button', { name: 'Create user' }).click()
    const link = await page.getByLabel('Password link', { exact: true }).inputValue()
    expect(link).toMatch(/\/console\/setup\?code=/)

    const agent = await newVisitor(h)
    await agent.page.goto(link)
    await agent.page.getByLabel('Password').fill('short')
    await agent.page.getByRole('button', { name: 'Save password' }).click()
    await expect.poll(() => agent.page.getByLabel('Password').getAttribute('aria-invalid')).toBe('true')
    await agent.page.getByLabel('Password').fill('agnes chooses a long one')
    await agent.page.getByRole('button', { name: 'Save password' }).click()
    await agent.page.waitForURL(/\/console\/contacts/)
    expect(await agent.page.getByRole('link', { name: 'Users' }).count()).toBe(0)
    const users = await agent.page.goto('/console/users')
    expect(users?.status()).toBe(404)

    const adminImport = await h.t.app.request('/v1/imports?fileName=admin.csv', { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', 'content-type': 'text/csv' }, body: 'Email\nadmin-only@example.com\n' })
    const { id } = await json<{ id: string }>(adminImport)
    expect((await agent.page.goto(`/console/imports/${id}`))?.status()).toBe(404)

    const again = await newVisitor(h)
    await again.page.goto(link)
    expect(await again.page.getByText('expired or was used already').count()).toBe(1)

    // A user who lost their password gets a new link from an admin, and it works once like the first.
    await page.getByRole('link', { name: 'Users' }).click()
    await page.getByRole('button', { name: 'New password link for Agnes Agent' }).click()
    const second = await page.getByLabel('Password link', { exact: true }).inputValue()
    expect(second).not.toBe(link)
    const later = await newVisitor(h)
    await later.page.goto(second)
    await later.page.getByLabel('Password').fill('agnes chose a new long one')
    await later.page.getByRole('button', { name: 'Save password' }).click()
    await later.page.waitForURL(/\/console\/contacts/)
  })

  it('refuses a form posted from another site', async () => {
    const { page } = await newVisitor(h)
    await signIn(page)
    const before = (await json<{ items: unknown[] }>(await h.t.call('GET', '/v1/contacts?q=forged'))).items.length
    // A page on another origin posts a contact form to the console, as a forged link in an email would.
    const attacker = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html')
      res.end(`<form method=post action="${h.base}/console/contacts/new"><input name=name value=forged><input name=email value=forged@example.com></form><script>document.forms[0].submit()</script>`)
    })
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve))
    const answer = page.waitForResponse((r) => r.url().endsWith('/console/contacts/new') && r.request().method() === 'POST')
    await page.goto(`http://localhost:${(attacker.address() as AddressInfo).port}/`)
    expect((await answer).status()).toBe(403)
    attacker.close()
    expect((await json<{ items: unknown[] }>(await h.t.call('GET', '/v1/contacts?q=forged'))).items.length).toBe(before)
  })
})
