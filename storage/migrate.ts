import { readdir, readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { Sql } from './sql.ts'

// Resolved when first needed: bundled for Workers (which never migrate), this module has no file URL of its own.
const migrationsDir = () => fileURLToPath(new URL('./migrations/', import.meta.url))
// Any constant works; it only has to be the same in every process that migrates this database.
const MIGRATION_LOCK_KEY = 727_274_001

export type Migration = { version: number; name: string; text: string }

export async function loadMigrations(dir = migrationsDir()): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort()
  return Promise.all(
    files.map(async (file) => ({
      version: Number.parseInt(file, 10),
      name: file,
      text: await readFile(`${dir}${file}`, 'utf8'),
    })),
  )
}

/**
 * Applies the migrations not yet recorded, in order, in one transaction. The advisory lock makes a second
 * process that starts at the same moment wait and then find everything applied.
 */
export async function migrate(sql: Sql, migrations?: Migration[]): Promise<number[]> {
  const all = migrations ?? (await loadMigrations())
  return sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(${MIGRATION_LOCK_KEY})`
    await tx`create table if not exists schema_migrations (
      version integer primary key, name text not null, applied_at timestamptz not null default now())`
    const done = new Set((await tx<{ version: number }[]>`select version from schema_migrations`).map((r) => r.version))
    const applied: number[] = []
    for (const m of all) {
      if (done.has(m.version)) continue
      // Migration files are static SQL shipped with the code, never input: the one place unsafe() is right.
      await tx.unsafe(m.text)
      await tx`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`
      applied.push(m.version)
    }
    return applied
  })
}
