import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { createImport, finishImport } from '../../storage/imports/history.ts'
import { json } from '../helpers/app.ts'
import { describeInBrowser, newVisitor, signIn } from '../helpers/browser.ts'

/** A reader in Tokyo whose browser speaks German. */
const READER = { locale: 'de-DE', timezoneId: 'Asia/Tokyo' }

/** What that reader's browser should show: the console's own Intl call, made here for their locale and zone. */
function asTheReaderSees(iso: string): string {
  return new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(new Date(iso))
}

describeInBrowser('dates and times', {}, (h) => {
  it('shows a contact’s times in the reader’s locale and time zone, and in UTC to a browser without scripts', async () => {
    const contact = await json<{ id: string; createdAt: string }>(await h.t.call('POST', '/v1/contacts', { name: 'Tokyo Reader', mobile: '+447400555333' }))
    await h.t.deps.sql`
      insert into messages (id, channel, external_id, direction, contact_id, account_id, type, text, raw, sent_at)
      values (gen_random_uuid(), 'whatsapp', 'wamid.tokyo', 'inbound', ${contact.id}, 'PNID', 'text', 'Hello from Tokyo', '{}'::jsonb, timestamptz '2026-12-05 14:03:00+00')`
    const history = await json<{ items: { at: string; kind: string }[] }>(await h.t.call('GET', `/v1/contacts/${contact.id}/history`))
    const created = history.items.find((e) => e.kind === 'created')
    expect(created).toBeDefined()

    const { page, problems } = await newVisitor(h, READER)
    await signIn(page)
    await page.goto(`/console/contacts/${contact.id}`)
    const details = page.getByRole('region', { name: 'Details' })
    await expect.poll(() => details.textContent()).toContain(`Created${asTheReaderSees(contact.createdAt)}`)
    // 14:03 UTC is 23:03 in Tokyo, written the German way.
    const message = page.getByRole('row', { name: /Hello from Tokyo/ }).getByRole('time')
    expect(await message.textContent()).toBe('05.12.2026, 23:03')
    expect(await message.getAttribute('datetime')).toBe('2026-12-05T14:03:00.000Z')
    expect(await message.getAttribute('title')).toBe('2026-12-05 14:03:00 UTC')
    const entry = page.getByRole('listitem').filter({ hasText: 'Created through the API' })
    expect(await entry.getByRole('time').textContent()).toBe(asTheReaderSees(created?.at ?? ''))
    expect(problems).toEqual([])

    const withoutScripts = await newVisitor(h, { ...READER, javaScriptEnabled: false })
    await signIn(withoutScripts.page)
    await withoutScripts.page.goto(`/console/contacts/${contact.id}`)
    expect(await withoutScripts.page.getByRole('row', { name: /Hello from Tokyo/ }).getByRole('time').textContent()).toBe('2026-12-05 14:03 UTC')
  })

  it('writes the times htmx swaps in the reader’s way too: an import’s page as the import finishes', async () => {
    const id = randomUUID()
    await createImport(h.t.deps.sql, { id, source: 'file', fileName: 'slow.csv', ownerId: null, onDuplicate: 'skip', runnerId: null, bytesTotal: null, now: new Date('2026-12-05T14:03:00Z') })
    const { page, problems } = await newVisitor(h, READER)
    await signIn(page)
    await page.goto(`/console/imports/${id}`)
    await expect.poll(() => page.getByText('Status: Running').count()).toBe(1)
    expect(await page.getByRole('time').allTextContents()).toEqual(['05.12.2026, 23:03'])

    // The page refreshes its progress every second; the refresh that finds the import finished brings "Finished".
    await finishImport(h.t.deps.sql, id, { status: 'completed' }, new Date('2026-12-05T14:05:00Z'))
    await expect.poll(() => page.getByText('Status: Completed').count()).toBe(1)
    await expect.poll(() => page.getByRole('time').allTextContents()).toEqual(['05.12.2026, 23:03', '05.12.2026, 23:05'])
    expect(problems).toEqual([])
  })
})
