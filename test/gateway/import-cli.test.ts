import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'
import { runEntry } from '../helpers/entry.ts'

let dir: string
let db: Database | null = null

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cg-cli-'))
  // On a server the CLI gets a database of its own; embedded, it opens its own data directory as `npm run import` would.
  if (usingServer()) db = await openTestDatabase()
})
afterAll(async () => {
  await db?.close()
  await rm(dir, { recursive: true, force: true })
})

function runCli(args: string[]) {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DEFAULT_COUNTRY: 'GB', DATA_DIR: join(dir, 'data') }
  if (db !== null) env.DATABASE_URL = db.url
  return runEntry('gateway/entry/import.ts', args, env)
}

describe('npm run import', () => {
  it('imports a file, prints the counts, writes the failed rows, and creates no twins on a second run', async () => {
    const file = join(dir, 'people.csv')
    await writeFile(file, 'Name,Mobile,Email\nAda,07400 222333,ada@example.com\nBea,=cmd|x,\nAda again,+44 7400 222333,\n')
    const first = await runCli([file, '--failures', join(dir, 'failures.csv')])
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toContain('completed: 3 rows — 1 imported, 0 updated, 1 duplicates, 1 failed')
    const failures = await readFile(join(dir, 'failures.csv'), 'utf8')
    expect(failures).toContain('3,failed,')
    expect(failures).toContain(",'=cmd|x,")
    expect(failures).toContain('4,duplicate,duplicate: same mobile as row 2')

    const second = await runCli([file, '--json'])
    expect(second.code).toBe(0)
    expect(JSON.parse(second.stdout)).toMatchObject({ status: 'completed', fileName: 'people.csv', imported: 0, duplicates: 2, failed: 1 })
  }, 60_000)

  it('refuses a file without a contact column with exit code 2 and says why', async () => {
    const file = join(dir, 'names.csv')
    await writeFile(file, 'Name,Company\nAda,Acme\n')
    const r = await runCli([file])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('no phone or email column')
  }, 60_000)
})
