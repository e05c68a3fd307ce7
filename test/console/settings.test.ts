import { expect, it } from 'vitest'
import { deferDeliveries, storeDeliveries } from '../../storage/inbox.ts'
import { json, settleInbox } from '../helpers/app.ts'
import { describeInBrowser, newVisitor, signIn, signInWithPasswordLink } from '../helpers/browser.ts'
import { waText } from '../helpers/meta.ts'

describeInBrowser('settings', { META_APP_SECRET: 'console-settings-secret' }, (h) => {
  it('shows an admin the inbox health, and a dead delivery with its reason goes back in line with Retry', async () => {
    const { sql } = h.t.deps
    const body = JSON.stringify(waText({ waId: '447400880001', name: 'Once Dead', id: 'wamid.console-dead', text: 'again' }))
    await storeDeliveries(sql, [{ channel: 'whatsapp', body, receivedAt: new Date('2026-11-30T10:00:00Z') }])
    const [row] = await sql<{ id: string }[]>`select id::text from inbox where body like '%wamid.console-dead%'`
    await deferDeliveries(sql, [{ id: row!.id, attempts: 5, reason: 'the database refused the message', senderKeys: [], retryAt: null, deadAt: new Date('2026-11-30T10:03:00Z') }])

    const { page, problems } = await newVisitor(h)
    await signIn(page)
    await page.getByRole('link', { name: 'Settings' }).click()
    const health = page.getByRole('region', { name: 'Inbox health' })
    expect(await health.textContent()).toContain('Dead deliveries1')
    const dead = health.getByRole('row', { name: /the database refused the message/ })
    expect(await dead.textContent()).toContain('whatsapp')
    await dead.getByRole('button', { name: /Retry/ }).click()
    await page.waitForURL(/\/console\/settings\?retried=/)
    await expect.poll(() => page.getByRole('status').textContent()).toContain('back in line')
    expect(await health.getByRole('row', { name: /the database refused the message/ }).count()).toBe(0)

    await settleInbox(h.t.deps)
    const found = await json<{ items: { name: string }[] }>(await h.t.call('GET', '/v1/contacts?q=Once%20Dead'))
    expect(found.items.map((c) => c.name)).toEqual(['Once Dead'])
    expect(problems).toEqual([])
  })

  it('is for admins: an agent sees no Settings link and is not shown the page', async () => {
    const agent = await json<{ passwordLink: string }>(await h.t.call('POST', '/v1/users', { name: 'Sam Agent', email: 'sam@example.com', role: 'agent' }))
    const { page } = await newVisitor(h)
    await signInWithPasswordLink(page, agent.passwordLink, 'sam has a long password')
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0)
    const res = await page.goto(`${h.base}/console/settings`)
    expect(res?.status()).toBe(404)
  })
})
