import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, type TestApp } from '../helpers/app.ts'
import type { startFakeTelegram } from '../helpers/fake-telegram.ts'
import { botClient, startBotTestApp, waitFor } from '../helpers/bot.ts'
import type { ImportJson } from '../helpers/imports.ts'

const ADMIN = 1001

let t: TestApp
let telegram: Awaited<ReturnType<typeof startFakeTelegram>>
let bot: ReturnType<typeof botClient>

beforeAll(async () => {
  ;({ t, telegram, bot } = await startBotTestApp(ADMIN))
})
afterAll(async () => {
  await t.close()
  await telegram.close()
})

const CARDS = [
  'BEGIN:VCARD', 'VERSION:3.0', 'FN:Vera Card', 'TEL;TYPE=CELL:+44 7400 777001', 'END:VCARD',
  'BEGIN:VCARD', 'VERSION:3.0', 'FN:Nobody', 'END:VCARD',
].join('\r\n')

describe('a vCard sent to the bot', () => {
  it('is imported like a CSV, with the summary of its cards, whatever type Telegram gives it', async () => {
    telegram.addFile('cards', CARDS)
    const res = await bot.deliver({ document: { file_id: 'cards', file_unique_id: 'c', file_name: 'phone.vcf', mime_type: 'application/octet-stream', file_size: CARDS.length } }, ADMIN)
    expect(res.status).toBe(200)
    const summary = await waitFor(() => telegram.sent(ADMIN).find((text) => text.startsWith('Import of phone.vcf finished')), 'the summary')
    expect(summary).toContain('2 rows: 1 imported, 0 updated, 0 duplicates, 1 failed')
    const [latest] = await json<ImportJson[]>(await t.call('GET', '/v1/imports'))
    expect(latest).toMatchObject({ fileName: 'phone.vcf', delimiter: 'vcard', totalRows: 2, imported: 1, failed: 1 })
  })
})
