import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import type { Database } from '../../storage/db.ts'
import { ADMIN_TOKEN } from '../helpers/app.ts'
import { openTestDatabase } from '../helpers/db.ts'
import { APP_SECRET, sign, waText } from '../helpers/meta.ts'

// The Workers entry under the real Workers runtime (workerd, through `wrangler dev`), on this suite's database.
const ROOT = new URL('../..', import.meta.url).pathname

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })
}

let db: Database
let worker: ChildProcess
let base: string
beforeAll(async () => {
  db = await openTestDatabase()
  const config = parseConfig({ ADMIN_API_TOKEN: ADMIN_TOKEN })
  const built = buildDeps(config, db.sql, { databaseKind: db.kind, logger: pino({ level: 'silent' }) })
  await ensureBootstrapAdmin(built.deps)
  await built.close()
  // The embedded server takes one connection at a time: the Worker's, from here on.
  await db.sql.end()
  const port = await freePort()
  base = `http://127.0.0.1:${port}`
  const vars = { DATABASE_URL: db.url, META_APP_SECRET: APP_SECRET, LOG_LEVEL: 'silent' }
  worker = spawn(`${ROOT}node_modules/.bin/wrangler`, ['dev', '--port', String(port), '--ip', '127.0.0.1', ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}:${v}`])], {
    cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, WRANGLER_SEND_METRICS: 'false', NO_UPDATE_NOTIFIER: '1' },
  })
  let out = ''
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`wrangler dev did not start:\n${out}`)), 90_000)
    const seen = (d: Buffer) => {
      out += d.toString()
      if (out.includes('Ready on')) { clearTimeout(timer); resolve() }
    }
    worker.stdout?.on('data', seen)
    worker.stderr?.on('data', seen)
    worker.once('exit', (code) => { clearTimeout(timer); reject(new Error(`wrangler dev exited with ${code}:\n${out}`)) })
  })
}, 120_000)
afterAll(async () => {
  if (worker?.pid !== undefined) {
    const exited = new Promise((resolve) => worker.once('exit', resolve))
    try { process.kill(-worker.pid, 'SIGTERM') } catch { /* gone already */ }
    await exited
  }
  await db?.close()
})

const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }

describe('the gateway on Cloudflare Workers', () => {
  it('serves health, the admin API, signed webhooks and the send check from the same app', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, db: 'up', redis: 'memory' })

    const created = await fetch(`${base}/v1/contacts`, { method: 'POST', headers: admin, body: JSON.stringify({ name: 'Edge Person', mobile: '+44 7400 900100', preference: 'proactive' }) })
    expect(created.status).toBe(201)
    const contact = (await created.json()) as { id: string; mobile: string; otherMobiles: string[]; address: { country?: string } }
    expect(contact).toMatchObject({ mobile: '+447400900100', otherMobiles: [], address: { country: 'GB' } })

    const body = JSON.stringify(waText({ waId: '447400900100', name: 'Edge', id: 'wamid.edge1', text: 'hello from the edge', ts: Math.floor(Date.now() / 1000) - 60 }))
    const delivered = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body })
    expect(delivered.status).toBe(200)
    const unsigned = await fetch(`${base}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(unsigned.status).toBe(401)

    // Stored on arrival, applied once the answer has gone.
    await expect.poll(async () => ((await (await fetch(`${base}/v1/contacts/${contact.id}`, { headers: admin })).json()) as { identities: unknown[] }).identities, { timeout: 10_000 })
      .toEqual([{ channel: 'whatsapp', externalId: '447400900100' }])
    const check = await fetch(`${base}/v1/outbound/check`, { method: 'POST', headers: admin, body: JSON.stringify({ contactId: contact.id, channel: 'whatsapp', kind: 'text' }) })
    expect(await check.json()).toMatchObject({ allowed: true, reason: 'inside_window' })
  })

  it('refuses work that would run on after the answer, pointing at the Node gateway', async () => {
    const res = await fetch(`${base}/v1/imports`, { method: 'POST', headers: { ...admin, 'content-type': 'text/csv' }, body: 'name,email\nA,a@example.com\n' })
    expect(res.status).toBe(503)
    expect(await res.json()).toMatchObject({ error: { code: 'not_configured', message: expect.stringContaining('Node gateway') } })
  })

  it('streams the CSV export on the request’s own connection', async () => {
    for (const n of [1, 2, 3]) {
      const res = await fetch(`${base}/v1/contacts`, { method: 'POST', headers: admin, body: JSON.stringify({ name: `Exported ${n}`, email: `exported${n}@example.com` }) })
      expect(res.status).toBe(201)
    }
    const res = await fetch(`${base}/v1/contacts/export.csv?q=exported`, { headers: admin })
    expect(res.status).toBe(200)
    const csv = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer())
    expect(csv.startsWith('\ufeff')).toBe(true)
    expect(csv.match(/exported\d@example\.com/g)?.sort()).toEqual(['exported1@example.com', 'exported2@example.com', 'exported3@example.com'])
  })
})
