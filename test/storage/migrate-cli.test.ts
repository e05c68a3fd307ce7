import { spawn } from 'node:child_process'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'

const ROOT = new URL('../..', import.meta.url).pathname
let dir: string
let db: Database | null = null
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-migrate-'))
  if (usingServer()) db = await openTestDatabase()
})
afterAll(async () => {
  await db?.close()
  await rm(dir, { recursive: true, force: true })
})

function migrate(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }
  if (db !== null) env.DATABASE_URL = db.url
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/entry/migrate.ts'], { cwd: ROOT, env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
}

describe('npm run migrate', () => {
  it('brings the database up to the newest migration, and running it again changes nothing', async () => {
    const files = (await readdir(join(ROOT, 'storage/migrations'))).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()
    const newest = files.at(-1) ?? ''
    for (let run = 0; run < 2; run++) {
      const result = await migrate()
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout.trim()).toBe(`Database is up to date: migration ${Number.parseInt(newest, 10)} (${newest}).`)
    }
  })
})
