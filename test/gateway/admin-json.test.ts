import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, json, startTestApp, type TestApp } from '../helpers/app.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp()
})
afterAll(async () => {
  await t.close()
})

function postBytes(path: string, bytes: Uint8Array): Promise<Response> {
  return Promise.resolve(t.app.request(path, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: bytes }))
}

describe('admin JSON bodies', () => {
  it('refuses invalid UTF-8 with 400 naming the problem instead of storing U+FFFD', async () => {
    const before = new TextEncoder().encode('{"name": "Jos')
    const after = new TextEncoder().encode('", "email": "bad-utf8@example.com"}')
    // 0xE9 is "é" in Windows-1252: a byte that is never valid UTF-8 on its own.
    const body = new Uint8Array([...before, 0xe9, ...after])
    const res = await postBytes('/v1/contacts', body)
    expect(res.status).toBe(400)
    const error = (await json<{ error: { code: string; message: string } }>(res)).error
    expect(error.code).toBe('invalid_json')
    expect(error.message).toMatch(/UTF-8/)
    const stored = await t.deps.sql`select id from contacts where email = 'bad-utf8@example.com'`
    expect(stored).toHaveLength(0)
  })

  it('still takes valid UTF-8, a literal U+FFFD included', async () => {
    const res = await postBytes('/v1/contacts', new TextEncoder().encode('{"name": "José \uFFFD Müller", "email": "good-utf8@example.com"}'))
    expect(res.status).toBe(201)
    expect((await json<{ name: string }>(res)).name).toBe('José \uFFFD Müller')
  })
})
