import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json } from '../helpers/app.ts'
import { BOT_SECRET, startBotTestApp } from '../helpers/bot.ts'

const ADMIN = 8008

let env: Awaited<ReturnType<typeof startBotTestApp>>
beforeAll(async () => {
  env = await startBotTestApp(ADMIN)
})
afterAll(() => env.close())

function post(body: string, secret: string | null = BOT_SECRET): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret
  return Promise.resolve(env.t.app.request('/telegram/webhook', { method: 'POST', headers, body }))
}

describe('POST /telegram/webhook', () => {
  it('answers 400 invalid_json to a body with the right secret that is not JSON', async () => {
    for (const body of ['{"update_id": 1, ', 'not json at all', '']) {
      const res = await post(body)
      expect(res.status).toBe(400)
      expect(await json(res)).toMatchObject({ error: { code: 'invalid_json' } })
    }
    expect((await post('{"update_id": ')).status).toBe(400)
    expect((await post('not json', 'wrong-secret')).status).toBe(401)
  })
})
