import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadMigrations, migrate } from '../../storage/migrate.ts'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'

let db: Database
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

describe('migrations', () => {
  it('are recorded once and a second run applies nothing', async () => {
    const files = await loadMigrations()
    expect(files.map((m) => m.version)).toEqual([...files.map((m) => m.version)].sort((a, b) => a - b))
    const rows = await db.sql<{ version: number }[]>`select version from schema_migrations order by version`
    expect(rows.map((r) => r.version)).toEqual(files.map((m) => m.version))
    expect(await migrate(db.sql)).toEqual([])
  })

  it('apply a new migration exactly once when two processes start together', async () => {
    const extra = [...(await loadMigrations()), { version: 9999, name: '9999_probe.sql', text: 'create table migration_probe (id int); insert into migration_probe values (1);' }]
    // Two separate connection pools stand in for two processes starting at the same moment.
    const other = usingServer() ? postgres(db.url, { max: 1, onnotice: () => {} }) : db.sql
    const results = await Promise.all([migrate(db.sql, extra), migrate(other, extra)])
    expect(results.map((r) => r.length).sort()).toEqual([0, 1])
    expect(await db.sql`select * from migration_probe`).toHaveLength(1)
    if (other !== db.sql) await other.end()
  })
})
