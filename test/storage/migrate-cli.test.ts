import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'
import { runEntry } from '../helpers/entry.ts'

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

function migrate() {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' }
  if (db !== null) env.DATABASE_URL = db.url
  return runEntry('gateway/entry/migrate.ts', [], env)
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
