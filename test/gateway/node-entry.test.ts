import { spawn, type ChildProcess } from 'node:child_process'
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
