import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { json } from '../helpers/app.ts'
import { describeInBrowser, newVisitor, screenshot, signIn } from '../helpers/browser.ts'

describeInBrowser('imports', { DEFAULT_COUNTRY: 'GB' }, (h) => {
  it('uploads a file, changes the mapping with the preview following, starts it, and shows failures, warnings and the failed rows', async () => {
    const { page, problems } = await newVisitor(h)
    await signIn(page)
    await page.getByRole('link', { name: 'Imports' }).click()
    await page.getByRole('button', { name: 'New import' }).click()
    const csv = 'Contact,Reach,Birthday,Notes\nAnn Browser,+447400300001,1990-04-25,vip\nBen Browser,not a phone,,\nCy Browser,+447400300003,03/15,\n'
    await page.getByLabel('File').setInputFiles({ name: 'browser.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.waitForURL(/\/console\/imports\/[0-9a-f-]{36}$/)

    // Neither "Contact" nor "Reach" says what it is: the draft says so, and nothing is imported yet.
    expect(await page.getByLabel('Reach', { exact: true }).inputValue()).toBe('')
    expect(await page.getByLabel('Birthday', { exact: true }).inputValue()).toBe('dateOfBirth')
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('no phone or email column')
    await page.getByLabel('Reach', { exact: true }).selectOption({ label: 'Mobile' })
    const counts = page.locator('#preview dl')
    await expect.poll(() => counts.textContent()).toMatch(/Would be imported2.*Failed1.*Warnings1/)
    await page.getByLabel('Contact', { exact: true }).selectOption({ label: 'Name' })
    await expect.poll(() => page.locator('#preview table').textContent()).toContain('"not a phone"')
    expect((await json<{ items: unknown[] }>(await h.t.call('GET', '/v1/contacts'))).items).toHaveLength(0)
    await screenshot(page, 'import-draft')

    await page.getByRole('button', { name: 'Start import' }).click()
    await expect.poll(() => page.locator('#progress').textContent(), { timeout: 20_000 }).toContain('Status: Completed')
    await page.reload()
    const table = page.getByRole('table')
    expect(await table.textContent()).toContain('column "Reach" (B): "not a phone"')
    expect(await table.textContent()).toContain('column "Birthday" (C): "03/15" has no year')
    await screenshot(page, 'import-done')

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download failed rows' }).click()])
    const text = readFileSync(await download.path(), 'utf8')
    expect(text).toContain('Ben Browser')
    expect(text).toContain('not a phone')

    const found = await json<{ items: { name: string; mobile: string; dateOfBirth: string | null }[] }>(await h.t.call('GET', '/v1/contacts?q=browser'))
    expect(found.items.map((c) => c.name).sort()).toEqual(['Ann Browser', 'Cy Browser'])
    expect(problems).toEqual([])
  })

  it('refuses an Excel file with a page that says to save it as CSV', async () => {
    const { page } = await newVisitor(h)
    await signIn(page)
    await page.goto('/console/imports/new')
    await page.getByLabel('File').setInputFiles({ name: 'contacts.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 6, 0, 0, 0, 0, 0]) })
    await page.getByRole('button', { name: 'Upload' }).click()
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('this is an Excel file (.xlsx)')
    expect(await page.getByRole('alert').textContent()).toContain('save it as CSV')
  })
})
