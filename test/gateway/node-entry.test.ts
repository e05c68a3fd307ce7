import { spawn, type ChildProcess } from 'node:child_process'
import { request, type ClientRequest } from 'node:http'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = new URL('../..', import.meta.url).pathname
const children: ChildProcess[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

/** Starts the real Node entry as `npm start` does, on the embedded database, and waits for its banner. */
async function startGateway(dataDir: string): Promise<{ url: string; token: string | null; output: () => string; stop: () => Promise<void> }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'info' }
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/entry/node.ts'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  child.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  const deadline = Date.now() + 45_000
  while (!/Contact Gateway on (http:\/\/\S+)/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`gateway did not start:\n${out}`)
    await new Promise((r) => setTimeout(r, 100))
  }
  await new Promise((r) => setTimeout(r, 100))
  const url = /Contact Gateway on (http:\/\/\S+)/.exec(out)?.[1] ?? ''
  const token = /Admin API token[^:]*: (cg_\S+)/.exec(out)?.[1] ?? null
  return {
    url, token, output: () => out,
    stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM') }),
  }
}

describe('npm start on a fresh checkout', () => {
  it('serves on the embedded database, prints the admin token once, and keeps data across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-entry-'))
    dirs.push(dataDir)
    const first = await startGateway(dataDir)
    expect(first.token).not.toBeNull()
    expect(await (await fetch(`${first.url}/healthz`)).json()).toEqual({ ok: true, db: 'up', redis: 'memory' })
    const auth = { authorization: `Bearer ${first.token}`, 'content-type': 'application/json' }
    const created = await fetch(`${first.url}/v1/contacts`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Kept', mobile: '+447400123123' }) })
    expect(created.status).toBe(201)
    await first.stop()
    expect(first.output()).not.toContain(`Bearer ${first.token}`)
    expect(first.output().split(first.token ?? '').length - 1).toBe(1)

    const second = await startGateway(dataDir)
    expect(second.token).toBeNull()
    const found = await fetch(`${second.url}/v1/contacts?q=${encodeURIComponent('07400 123123')}`, { headers: auth })
    expect(((await found.json()) as { items: { name: string }[] }).items.map((c) => c.name)).toEqual(['Kept'])
    await second.stop()
  }, 120_000)
})

/** Starts a CSV upload over a real socket and resolves with the 202 while the body may still be streaming. */
function startUpload(url: string, token: string): Promise<{ req: ClientRequest; id: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/imports?fileName=slow.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d.toString() })
      res.on('end', () => (res.statusCode === 202 ? resolve({ req, id: (JSON.parse(body) as { id: string }).id }) : reject(new Error(`${res.statusCode}: ${body}`))))
    })
    req.on('error', () => {})
    req.write('Name,Phone\n')
    for (let i = 0; i < 1500; i++) req.write(`Slow ${i},+44 7400 6${String(i).padStart(5, '0')}\n`)
  })
}

async function getImport(url: string, token: string, id: string): Promise<{ status: string; totalRows: number; imported: number; failureReason: string | null }> {
  return (await (await fetch(`${url}/v1/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as never
}

describe('imports on the running server', () => {
  it('keeps reading an upload after answering 202, and marks an import cut short by a crash as failed at the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-import-'))
    dirs.push(dataDir)
    const first = await startGateway(dataDir)
    const token = first.token ?? ''

    const done = await startUpload(first.url, token)
    for (let i = 1500; i < 3000; i++) done.req.write(`Slow ${i},+44 7400 6${String(i).padStart(5, '0')}\n`)
    done.req.end()
    let finished = await getImport(first.url, token, done.id)
    for (let i = 0; i < 300 && finished.status === 'in_progress'; i++) {
      await new Promise((r) => setTimeout(r, 50))
      finished = await getImport(first.url, token, done.id)
    }
    expect(finished).toMatchObject({ status: 'completed', totalRows: 3000, imported: 3000 })

    const cut = await startUpload(first.url, token)
    await new Promise((r) => setTimeout(r, 300))
    expect((await getImport(first.url, token, cut.id)).status).toBe('in_progress')
    const killed = new Promise((r) => children.at(-1)?.once('exit', r))
    children.at(-1)?.kill('SIGKILL')
    await killed
    cut.req.destroy()

    const second = await startGateway(dataDir)
    const after = await getImport(second.url, token, cut.id)
    expect(after.status).toBe('failed')
    expect(after.failureReason).toContain('interrupted')

    // A shutdown on purpose says so, and does not wait for an upload that never ends.
    const open = await startUpload(second.url, token)
    await new Promise((r) => setTimeout(r, 300))
    const started = Date.now()
    await second.stop()
    expect(Date.now() - started).toBeLessThan(15_000)
    open.req.destroy()
    const third = await startGateway(dataDir)
    const stopped = await getImport(third.url, token, open.id)
    expect(stopped.status).toBe('failed')
    expect(stopped.failureReason).toContain('the server was shut down')
    await third.stop()
  }, 120_000)
})
