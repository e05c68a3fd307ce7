import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app.ts'
import { botClient, command, startBotTestApp, waitFor } from '../helpers/bot.ts'
import { HUBSPOT_TOKEN, startFakeCrm } from '../helpers/fake-crm.ts'
import type { startFakeTelegram } from '../helpers/fake-telegram.ts'

const ADMIN = 6006

let t: TestApp
let telegram: Awaited<ReturnType<typeof startFakeTelegram>>
let bot: ReturnType<typeof botClient>
let crm: Awaited<ReturnType<typeof startFakeCrm>>

beforeAll(async () => {
  crm = await startFakeCrm()
  ;({ t, telegram, bot } = await startBotTestApp(ADMIN, { HUBSPOT_ACCESS_TOKEN: HUBSPOT_TOKEN, HUBSPOT_API_BASE: crm.hubspotBase }))
})
afterAll(async () => {
  await t.close()
  await telegram.close()
  await crm.close()
})

describe('/sync', () => {
  it('pulls a CRM into the import history and reports the counts when it ends', async () => {
    crm.hubspot.set('7001', { firstname: 'Bot', lastname: 'Synced', email: 'bot-synced@example.com', mobilephone: '+34 612 000 111' })
    crm.hubspot.set('7002', { firstname: 'No', lastname: 'Code', email: 'no-code@example.com', mobilephone: '612 000 222' })
    const before = telegram.calls.length
    expect((await bot.deliver(command('/sync hubspot'), ADMIN)).status).toBe(200)
    const summary = await waitFor(() => telegram.calls.slice(before).find((c) => c.method === 'sendMessage' && String(c.params.text).startsWith('Import of the HubSpot sync')), 'the sync summary')
    expect(String(summary.params.text)).toBe('Import of the HubSpot sync finished\n2 rows: 2 imported, 0 updated, 0 duplicates, 0 failed')
    const started = telegram.calls.slice(before).find((c) => c.method === 'sendMessage')
    expect(String(started?.params.text)).toContain('Pulling every contact from HubSpot…')
  })

  it('explains usage and an unconfigured CRM', async () => {
    for (const [text, expected] of [['/sync', 'Usage: /sync hubspot|zoho'], ['/sync zoho', 'Could not start the sync. ZOHO_ACCESS_TOKEN is not set; Zoho is off.']]) {
      const before = telegram.calls.length
      await bot.deliver(command(text as string), ADMIN)
      expect(telegram.calls.slice(before).find((c) => c.method === 'sendMessage')?.params.text).toBe(expected)
    }
  })
})
