import { request as httpRequest } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { sign, waText } from '../helpers/meta.ts'

// Over a real socket: @hono/node-server gives handlers the request's own Content-Length and streaming body,
// which app.request() in the other tests does not.
let t: TestApp
let server: ServerType
let base: string
beforeAll(async () => {
  t = await startTestApp(META_ENV)
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s))
  })
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await t.close()
})

type Answer = { status: number; body: string }

/** A POST whose body is written in chunks without a Content-Length (Transfer-Encoding: chunked). */
function postChunked(path: string, headers: Record<string, string>, chunks: string[]): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: 'POST', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (d: string) => { body += d })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    // The server may answer 413 and close before every chunk is written.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? undefined : reject(error)))
    for (const chunk of chunks) req.write(chunk)
    req.end()
  })
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }

describe('body limits over a real socket', () => {
  it('refuses an admin JSON body whose Content-Length is over the limit, naming the limit', async () => {
    const limit = t.deps.config.limits.jsonBodyBytes
    const res = await fetch(`${base}/v1/contacts`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'x'.repeat(limit) }) })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'payload_too_large', message: `The body is larger than ${limit} bytes.` } })
  })

  it('counts a chunked admin body as it streams and refuses it past the limit', async () => {
    const limit = t.deps.config.limits.jsonBodyBytes
    const chunk = 'x'.repeat(64 * 1024)
    const chunks = ['{"name":"', ...Array.from({ length: Math.ceil(limit / chunk.length) + 1 }, () => chunk), '"}']
    const res = await postChunked('/v1/contacts', admin, chunks)
    expect(res.status).toBe(413)
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'payload_too_large' } })
  })

  it('serves bodies under the limit, with or without a Content-Length', async () => {
    const withLength = await fetch(`${base}/v1/contacts`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Sized', email: 'sized@example.com' }) })
    expect(withLength.status).toBe(201)
    const chunked = await postChunked('/v1/contacts', admin, ['{"name":"Chunked",', '"email":"chunked@example.com"}'])
    expect(chunked.status).toBe(201)
    expect(JSON.parse(chunked.body)).toMatchObject({ name: 'Chunked', email: 'chunked@example.com' })
  })

  it('applies the 3 MB webhook limit to declared and streamed bodies alike', async () => {
    const tooBig = JSON.stringify({ ...waText({ waId: '447400555001', id: 'wamid.limit', text: 'x' }), padding: 'x'.repeat(3 * 1024 * 1024) })
    const headers = { 'content-type': 'application/json', 'x-hub-signature-256': sign(tooBig) }
    expect((await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers, body: tooBig })).status).toBe(413)
    const pieces = tooBig.match(/[^]{1,65536}/g) ?? []
    expect((await postChunked('/webhooks/whatsapp', headers, pieces)).status).toBe(413)
    const fine = JSON.stringify(waText({ waId: '447400555002', id: 'wamid.limit-ok', text: 'ok' }))
    expect((await postChunked('/webhooks/whatsapp', { 'content-type': 'application/json', 'x-hub-signature-256': sign(fine) }, [fine.slice(0, 50), fine.slice(50)])).status).toBe(200)
  })

  it('answers many concurrent send checks each about its own contact', async () => {
    const ids: string[] = []
    for (const [i, preference] of (['proactive', 'reactive', 'proactive', 'reactive'] as const).entries()) {
      const res = await fetch(`${base}/v1/contacts`, { method: 'POST', headers: admin, body: JSON.stringify({ name: `Batch ${i}`, mobile: `+4474005550${10 + i}`, preference }) })
      ids.push(((await res.json()) as { id: string }).id)
    }
    const missing = '01900000-0000-7000-8000-0000000000ff'
    const asked = Array.from({ length: 80 }, (_, i) => (i % 5 === 4 ? missing : ids[i % 4] as string))
    const answers = await Promise.all(asked.map(async (contactId) => {
      const res = await fetch(`${base}/v1/outbound/check`, { method: 'POST', headers: admin, body: JSON.stringify({ contactId, channel: 'whatsapp', kind: 'template' }) })
      return { status: res.status, body: (await res.json()) as { reason?: string } }
    }))
    answers.forEach((answer, i) => {
      const contactId = asked[i]
      if (contactId === missing) return expect(answer.status).toBe(404)
      expect(answer.status).toBe(200)
      // Nobody here has written to us: proactive contacts may get a template, reactive ones nothing.
      expect(answer.body.reason).toBe(ids.indexOf(contactId as string) % 2 === 0 ? 'proactive_template' : 'reactive_outside_window')
    })
  })
})
