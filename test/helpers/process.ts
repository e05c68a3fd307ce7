import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, vi } from 'vitest'
import { openTestDatabase, usingServer } from './db.ts'
import { startScriptFlags } from './npm-start.ts'

const ROOT = new URL('../..', import.meta.url).pathname

export type GatewayProcess = {
  url: string
  child: ChildProcess
  output(): string
  /** SIGTERM: a graceful stop. */
  stop(): Promise<void>
  /** SIGKILL: nothing is let finish. */
  kill(): Promise<void>
}

/** Starts the real Node entry as `npm start` does (its node flags too) with `env`, and waits until it serves. */
export async function startGatewayProcess(env: Record<string, string>): Promise<GatewayProcess> {
  const child = spawn(process.execPath, [...startScriptFlags(), 'gateway/entry/node.ts'], {
    cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout?.on('data', (d: Buffer) => { out += d.toString() })
  child.stderr?.on('data', (d: Buffer) => { out += d.toString() })
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${out}`))))
  exited.catch(() => {})
  await Promise.race([exited, vi.waitFor(() => expect(out, 'the gateway did not start').toMatch(/^Console/m), { timeout: 100_000, interval: 100 })])
  const url = /Contact Gateway on (http:\/\/\S+)/.exec(out)?.[1] ?? ''
  const ended = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    url, child, output: () => out,
    stop: () => { child.kill('SIGTERM'); return ended },
    kill: () => { child.kill('SIGKILL'); return ended },
  }
}

/**
 * Gateway processes that share one database: a fresh database on the PostgreSQL server at DATABASE_URL (any number
 * of processes), or else one embedded data directory (one process at a time). `close` kills what it started and
 * drops the database or the directory.
 */
export async function processGroup(env: Record<string, string>): Promise<{ start(): Promise<GatewayProcess>; close(): Promise<void> }> {
  const shared = { ...env }
  let drop: () => Promise<void>
  if (usingServer()) {
    const db = await openTestDatabase()
    shared.DATABASE_URL = db.url
    drop = () => db.close()
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'cg-processes-'))
    shared.DATA_DIR = dir
    drop = () => rm(dir, { recursive: true, force: true })
  }
  const started: GatewayProcess[] = []
  return {
    async start() {
      const p = await startGatewayProcess(shared)
      started.push(p)
      return p
    },
    async close() {
      for (const p of started) await p.kill().catch(() => {})
      await drop()
    },
  }
}
