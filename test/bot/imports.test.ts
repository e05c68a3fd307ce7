import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import type { startFakeTelegram } from '../helpers/fake-telegram.ts'
import { botClient, command, startBotTestApp, waitFor } from '../helpers/bot.ts'
import type { ImportJson } from '../helpers/imports.ts'

const ADMIN = 1001
const STRANGER = 555

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

const deliver = (message: Record<string, unknown>, from: number, secret?: string | null) => bot.deliver(message, from, secret)

describe('the admin bot', () => {
  it('refuses updates without the right secret token', async () => {
    expect((await deliver(command('/help'), ADMIN, null)).status).toBe(401)
    expect((await deliver(command('/help'), ADMIN, 'wrong')).status).toBe(401)
  })

  it('answers strangers with one refusal and does nothing they ask', async () => {
    const before = telegram.calls.length
    telegram.addFile('stranger-file', 'Phone\n+447400555555\n')
    const res = await deliver({ document: { file_id: 'stranger-file', file_unique_id: 'x', file_name: 'mine.csv', mime_type: 'text/csv', file_size: 20 } }, STRANGER)
    expect(res.status).toBe(200)
    const calls = telegram.calls.slice(before).filter((c) => c.method !== 'getMe')
    expect(calls.map((c) => c.method)).toEqual(['sendMessage'])
    expect(String(calls[0]?.params.text)).toContain('only works for the team')
    expect(await json<unknown[]>(await t.call('GET', '/v1/imports'))).toHaveLength(0)
  })

  it('imports a CSV document, reports progress and a summary with the counts', async () => {
    telegram.addFile('leads', 'Name,Mobile,Email\nAda,07400 111000,ada@example.com\nBad,12,\nAda again,+44 7400 111000,\n')
    const res = await deliver({ document: { file_id: 'leads', file_unique_id: 'l', file_name: 'leads.csv', mime_type: 'text/csv', file_size: 90 } }, ADMIN)
    expect(res.status).toBe(200)
    const summary = await waitFor(() => telegram.sent(ADMIN).find((text) => text.startsWith('Import of leads.csv finished')), 'the summary')
    expect(telegram.sent(ADMIN).some((text) => text.startsWith('Importing leads.csv'))).toBe(true)
    expect(summary).toContain('3 rows: 1 imported, 0 updated, 1 duplicates, 1 failed')
    const [latest] = await json<ImportJson[]>(await t.call('GET', '/v1/imports'))
    expect(latest).toMatchObject({ fileName: 'leads.csv', status: 'completed', imported: 1 })
    expect(summary).toContain(`/failures ${latest!.id}`)
    const [owner] = await t.db.sql<{ telegram_id: string }[]>`select telegram_id::text from users where id = ${latest!.ownerId}`
    expect(owner?.telegram_id).toBe(String(ADMIN))
  })

  it('lists imports and sends the failed rows back with reasons and as a CSV', async () => {
    const [latest] = await json<ImportJson[]>(await t.call('GET', '/v1/imports'))
    await deliver(command('/imports'), ADMIN)
    expect(telegram.sent(ADMIN).at(-1)).toContain(latest!.id)
    const before = telegram.calls.length
    await deliver(command(`/failures ${latest!.id}`), ADMIN)
    const calls = telegram.calls.slice(before)
    const text = String(calls.find((c) => c.method === 'sendMessage')?.params.text)
    expect(text).toContain('Row 3 (failed): column "Mobile" (B): "12" is not a valid phone number for GB')
    expect(text).toContain('Row 4 (duplicate): duplicate: same mobile as row 2')
    const doc = calls.find((c) => c.method === 'sendDocument')?.files.document
    expect(doc?.name).toBe('leads-failures.csv')
    expect(doc?.content).toContain("4,duplicate,duplicate: same mobile as row 2,Ada again,'+44 7400 111000,")
  })

  it('matches columns as a draft suggests (a mapping confirmed for the header row) and says which it ignores', async () => {
    const header = 'Reach,Who,Remarks\n'
    const mapping = encodeURIComponent(JSON.stringify({ Reach: 'email', Who: 'name' }))
    const direct = await t.app.request(`/v1/imports?mapping=${mapping}`, { method: 'POST', headers: { authorization: 'Bearer test-admin-token-0123456789abcdef', 'content-type': 'text/csv' }, body: `${header}first-bot-map@example.com,Una,x\n` })
    expect(direct.status).toBe(202)
    telegram.addFile('mapped', `${header}bot-map@example.com,Bo,y\n`)
    await deliver({ document: { file_id: 'mapped', file_unique_id: 'm', file_name: 'mapped.csv', mime_type: 'text/csv', file_size: 40 } }, ADMIN)
    const summary = await waitFor(() => telegram.sent(ADMIN).find((text) => text.startsWith('Import of mapped.csv finished')), 'the summary')
    expect(summary).toContain('1 rows: 1 imported')
    expect(telegram.sent(ADMIN).find((text) => text.startsWith('Importing mapped.csv'))).toContain('Ignoring the columns "Remarks"')
  })

  it('tells what is wrong with a file it cannot import', async () => {
    telegram.addFile('names', 'Name,Company\nAda,Acme\n')
    await deliver({ document: { file_id: 'names', file_unique_id: 'n', file_name: 'names.csv', mime_type: 'text/csv', file_size: 22 } }, ADMIN)
    expect(telegram.sent(ADMIN).at(-1)).toContain('Could not import names.csv. Nothing was imported: the header row has no phone or email column')
  })

  it('answers /help', async () => {
    await deliver(command('/help'), ADMIN)
    expect(telegram.sent(ADMIN).at(-1)).toContain('/failures <importId>')
  })
})

describe('without a bot token', () => {
  it('answers 503 on the webhook', async () => {
    const off = await startTestApp()
    const res = await off.app.request('/telegram/webhook', { method: 'POST', body: '{}' })
    expect(res.status).toBe(503)
    await off.close()
  })
})
