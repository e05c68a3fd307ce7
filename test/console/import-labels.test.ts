import { expect, it } from 'vitest'
import { json } from '../helpers/app.ts'
import { describeInBrowser, newVisitor, signIn } from '../helpers/browser.ts'

// As Google Contacts exports it (abridged): system groups and labels in one "Labels" cell.
const GOOGLE = [
  'First Name,Last Name,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,Labels,Loyalty',
  'Gia,Google,gia@g.example,Mobile,+44 7400 310001,* myContacts ::: Friends ::: VIP,Gold card',
  'Hal,Google,hal@g.example,Mobile,+44 7400 310002,* myContacts ::: * starred,',
].join('\n')

describeInBrowser('importing labels', {}, (h) => {
  it('imports a Google export with its labels, makes an unknown column a new custom field, and shows both on the contact', async () => {
    const { page, problems } = await newVisitor(h)
    await signIn(page)
    await page.goto('/console/imports/new')
    await page.getByLabel('File').setInputFiles({ name: 'google.csv', mimeType: 'text/csv', buffer: Buffer.from(GOOGLE) })
    await page.getByRole('button', { name: 'Upload' }).click()
    await page.waitForURL(/\/console\/imports\/[0-9a-f-]{36}$/)
    expect(await page.getByLabel('Labels', { exact: true }).inputValue()).toBe('labels')
    await page.getByLabel('Loyalty', { exact: true }).selectOption({ label: 'New custom field (text)' })
    await page.getByRole('button', { name: 'Start import' }).click()
    await expect.poll(() => page.locator('#progress').textContent(), { timeout: 20_000 }).toContain('Status: Completed')

    const [gia] = (await json<{ items: { id: string; labels: string[]; fields: Record<string, unknown> }[] }>(await h.t.call('GET', '/v1/contacts?q=gia@g.example'))).items
    expect(gia).toMatchObject({ labels: ['Friends', 'VIP'], fields: { loyalty: 'Gold card' } })
    await page.goto(`/console/contacts/${gia?.id ?? ''}`)
    const main = page.getByRole('main')
    await expect.poll(() => main.textContent()).toContain('Friends')
    expect(await main.textContent()).toContain('VIP')
    expect(await main.textContent()).toContain('Gold card')
    expect(await main.textContent()).not.toContain('myContacts')
    expect(problems).toEqual([])
  })
})
