import type { ChildProcess } from 'node:child_process'
import { request, type ClientRequest } from 'node:http'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { startGatewayProcess } from '../helpers/process.ts'

const children: ChildProcess[] = []
const dirs: string[] = []

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL')
  for (const dir of dirs) await rm(dir, { recursive: true, force: true })
})

/** Starts the real Node entry as `npm start` does, on the embedded database, and waits for its banner. */
async function startGateway(dataDir: string): Promise<{ url: string; token: string | null; output: () => string; stop: () => Promise<void> }> {
  // A first start creates the embedded database and runs every migration: on a loaded 2-core box that has taken 40 s.
  const p = await startGatewayProcess({ DATA_DIR: dataDir, LOG_LEVEL: 'info' })
  children.push(p.child)
  const token = /Admin API token[^:]*: (cg_\S+)/.exec(p.output())?.[1] ?? null
  return { url: p.url, token, output: p.output, stop: p.stop }
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
  }, 300_000)
})

/** Uploads a CSV over a real socket, as curl does, and resolves with the 202 that comes once the file is in. */
function upload(url: string, token: string, name: string, rows: number): Promise<{ id: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/v1/imports?fileName=${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d.toString() })
      res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(body) as { id: string }) : reject(new Error(`${res.statusCode}: ${body}`))))
    })
    req.on('error', reject)
    req.write('Name,Phone\n')
    for (let i = 0; i < rows; i++) req.write(`${name} ${i},+44 7400 ${String(i).padStart(6, '0')}\n`)
    req.end()
  })
}

/** Starts an upload and goes away in the middle of it. */
function abandonUpload(url: string, token: string): Promise<void> {
  return new Promise((resolve) => {
    const req: ClientRequest = request(`${url}/v1/imports?fileName=abandoned.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' } })
    req.on('error', () => resolve())
    req.write('Name,Phone\n')
    for (let i = 0; i < 2000; i++) req.write(`Gone ${i},+44 7400 9${String(i).padStart(5, '0')}\n`)
    setTimeout(() => {
      req.destroy()
      resolve()
    }, 300)
  })
}

async function getImport(url: string, token: string, id: string): Promise<{ status: string; totalRows: number; imported: number; failureReason: string | null }> {
  return (await (await fetch(`${url}/v1/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })).json()) as never
}

function waitUntilDone(url: string, token: string, id: string) {
  return vi.waitFor(async () => {
    const found = await getImport(url, token, id)
    expect(found.status, `import ${id} is still in progress`).not.toBe('in_progress')
    return found
  }, { timeout: 120_000, interval: 250 })
}

describe('imports on the running server', () => {
  it('imports what a client uploads, survives a client that goes away, and carries on imports cut short by a crash or a shutdown', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-import-'))
    dirs.push(dataDir)
    const first = await startGateway(dataDir)
    const token = first.token ?? ''

    const done = await upload(first.url, token, 'whole.csv', 3000)
    expect(await waitUntilDone(first.url, token, done.id)).toMatchObject({ status: 'completed', totalRows: 3000, imported: 3000 })

    await abandonUpload(first.url, token)
    // The server has given the upload up once its spooled part is gone.
    const spooled = () => readdir(join(dataDir, 'uploads')).then((names) => names.filter((n) => n.endsWith('.csv')), () => [])
    await expect.poll(spooled, { timeout: 10_000, interval: 50 }).toEqual([])
    const listed = (await (await fetch(`${first.url}/v1/imports`, { headers: { authorization: `Bearer ${token}` } })).json()) as { fileName: string }[]
    expect(listed.map((i) => i.fileName)).not.toContain('abandoned.csv')
    expect((await fetch(`${first.url}/healthz`)).status).toBe(200)

    // An import is a job: killed, it is carried on at the next start from its last saved batch.
    const cut = await upload(first.url, token, 'cut.csv', 60_000)
    expect((await getImport(first.url, token, cut.id)).status).toBe('in_progress')
    const killed = new Promise((r) => children.at(-1)?.once('exit', r))
    children.at(-1)?.kill('SIGKILL')
    await killed

    const second = await startGateway(dataDir)
    // Its first 3,000 numbers are whole.csv's.
    expect(await waitUntilDone(second.url, token, cut.id)).toMatchObject({ status: 'completed', totalRows: 60_000, imported: 57_000, duplicates: 3_000, failed: 0 })

    // A shutdown on purpose is quick, and the import goes on after it too.
    const stopping = await upload(second.url, token, 'stopping.csv', 60_000)
    expect((await getImport(second.url, token, stopping.id)).status).toBe('in_progress')
    const started = Date.now()
    await second.stop()
    expect(Date.now() - started).toBeLessThan(15_000)
    const third = await startGateway(dataDir)
    expect(await waitUntilDone(third.url, token, stopping.id)).toMatchObject({ status: 'completed', totalRows: 60_000, duplicates: 60_000 })
    await third.stop()
  }, 360_000)

  it('spools uploads in DATA_DIR/uploads and clears what an upload cut off by SIGKILL left there at the next start', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cg-spool-'))
    dirs.push(dataDir)
    const spool = join(dataDir, 'uploads')
    const uploads = () => readdir(spool).then((names) => names.filter((n) => n.endsWith('.csv')), () => [])
    const first = await startGateway(dataDir)
    const token = first.token ?? ''
    const req = request(`${first.url}/v1/imports?fileName=arriving.csv`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': '10000000' } })
    req.on('error', () => {})
    req.write('Name,Phone\n')
    for (let i = 0; i < 2000; i++) req.write(`Arriving ${i},+44 7400 8${String(i).padStart(5, '0')}\n`)
    await expect.poll(uploads, { timeout: 10_000 }).toHaveLength(1)
    const killed = new Promise((r) => children.at(-1)?.once('exit', r))
    children.at(-1)?.kill('SIGKILL')
    await killed
    req.destroy()
    expect(await uploads()).toHaveLength(1)

    const second = await startGateway(dataDir)
    expect(await uploads()).toEqual([])
    await second.stop()
  }, 300_000)
})
