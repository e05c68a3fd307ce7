import { expect, it } from 'vitest'
import type { Locator, Page } from 'playwright-core'
import { json } from '../helpers/app.ts'
import { describeInBrowser, newVisitor, screenshot, signIn } from '../helpers/browser.ts'

const PHONE = { width: 390, height: 844 }

/** People whose names, addresses and labels are as long as real ones get. */
const PEOPLE = [
  {
    name: 'Maximiliane Friederike von Hohenzollern-Sigmaringen', mobile: '+447400555401',
    email: 'maximiliane.friederike.von-hohenzollern@wholesale-partners-northern-europe.example.com',
    labels: ['Wholesale partners in northern Europe', 'VIP'],
  },
  { name: 'Zoë Ångström', mobile: '+447400555402', email: 'zoe@example.com', labels: ['VIP'] },
  { name: 'Bartholomew Featherstonehaugh-Cholmondeley', email: 'bartholomew.featherstonehaugh-cholmondeley@example.co.uk', labels: ['Trade fair 2026 leads'] },
]

async function rightEdge(locator: Locator): Promise<number> {
  const box = await locator.boundingBox()
  return box === null ? Number.POSITIVE_INFINITY : box.x + box.width
}

const pageWidth = (page: Page) => page.evaluate<number>('document.documentElement.scrollWidth')

describeInBrowser('contacts on a phone', { DEFAULT_COUNTRY: 'GB' }, (h) => {
  it('fits the contacts page in 390 px, each contact with its name, number, email and labels in sight', async () => {
    await h.t.call('POST', '/v1/users', { name: 'Konstantinos Papadopoulos-Georgiou', role: 'agent' })
    await h.t.call('POST', '/v1/lists', { name: 'Spring campaign for wholesale partners in northern Europe' })
    for (const person of PEOPLE) expect((await h.t.call('POST', '/v1/contacts', person)).status).toBe(201)
    const { page, problems } = await newVisitor(h)
    await page.setViewportSize(PHONE)
    await signIn(page)
    await expect.poll(() => page.getByRole('row').count()).toBe(PEOPLE.length + 1)
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)

    for (const person of PEOPLE) {
      const name = page.getByRole('link', { name: person.name })
      expect(await name.isVisible()).toBe(true)
      expect(await rightEdge(name)).toBeLessThanOrEqual(PHONE.width)
      const email = page.getByText(person.email, { exact: true })
      expect(await email.isVisible()).toBe(true)
      expect(await rightEdge(email)).toBeLessThanOrEqual(PHONE.width)
    }
    const mobile = page.getByRole('link', { name: '+44 7400 555401' })
    expect(await mobile.isVisible()).toBe(true)
    expect(await rightEdge(mobile)).toBeLessThanOrEqual(PHONE.width)
    const label = page.getByRole('listitem').filter({ hasText: 'Wholesale partners in northern Europe' })
    expect(await label.isVisible()).toBe(true)
    expect(await rightEdge(label)).toBeLessThanOrEqual(PHONE.width)
    for (const control of ['Search', 'Label', 'Assign to', 'List']) {
      expect(await rightEdge(page.getByLabel(control, { exact: true }))).toBeLessThanOrEqual(PHONE.width)
    }
    expect(await rightEdge(page.getByRole('button', { name: 'Sign out' }))).toBeLessThanOrEqual(PHONE.width)
    await screenshot(page, 'console-contacts-390')

    await page.getByRole('link', { name: 'Zoë Ångström' }).click()
    await page.waitForURL(/\/console\/contacts\/[0-9a-f-]{36}/)
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Zoë Ångström')
    expect(await pageWidth(page)).toBeLessThanOrEqual(PHONE.width)
    expect(problems).toEqual([])
  })

  it('keeps the table with its column headers on a wide screen', async () => {
    const { page } = await newVisitor(h)
    await page.setViewportSize({ width: 1280, height: 800 })
    await signIn(page)
    for (const header of ['Name', 'Mobile', 'Email', 'Country', 'Owner', 'Preference', 'Labels']) {
      expect(await page.getByRole('columnheader', { name: header, exact: true }).isVisible()).toBe(true)
    }
    // A line per contact: its name and its email side by side, in their columns.
    const row = page.getByRole('row', { name: /Zoë Ångström/ })
    const [name, email] = [await row.getByRole('cell', { name: 'Zoë Ångström', exact: true }).boundingBox(), await row.getByRole('cell', { name: 'zoe@example.com' }).boundingBox()]
    expect(name?.y).toBe(email?.y)
    expect(name?.x ?? 0).toBeLessThan(email?.x ?? 0)
  })
})
