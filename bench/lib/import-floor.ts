import type { Queryable, Sql } from '../../storage/sql.ts'

/** The tables an import writes a row in per file row: contacts for the imported, import_rows for the rest. */
const TABLES = ['contacts', 'import_rows'] as const

export type ImportFloor = { seconds: number; withoutSecondaryIndexesSeconds: number; rows: Record<string, number> }

/** The columns a row is written with: all but the generated ones, which PostgreSQL computes as it would for the import. */
async function writtenColumns(sql: Queryable, table: string): Promise<string> {
  const rows = await sql<{ name: string }[]>`
    select quote_ident(attname) as name from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped and attgenerated = '' order by attnum`
  return rows.map((r) => r.name).join(', ')
}

async function timedInsert(sql: Queryable): Promise<number> {
  const columns = new Map<string, string>()
  for (const table of TABLES) columns.set(table, await writtenColumns(sql, table))
  const started = performance.now()
  for (const table of TABLES) await sql.unsafe(`insert into ${table} (${columns.get(table)}) select ${columns.get(table)} from floor_${table}`)
  return (performance.now() - started) / 1000
}

/** Statements that drop every index of the tables but their primary keys (a unique constraint's with the constraint). */
async function dropSecondaryIndexes(sql: Sql): Promise<string[]> {
  const rows = await sql<{ index: string; constraint: string | null; table: string }[]>`
    select i.indexrelid::regclass::text as index, c.conname as constraint, i.indrelid::regclass::text as table
    from pg_index i left join pg_constraint c on c.conindid = i.indexrelid and c.contype in ('u', 'x')
    where i.indrelid = any(${[...TABLES]}::regclass[]) and not i.indisprimary`
  return rows.map((r) => (r.constraint === null ? `drop index ${r.index}` : `alter table ${r.table} drop constraint ${r.constraint}`))
}

/**
 * PostgreSQL's own insert of the rows an import just wrote, with the same indexes: the rows are copied aside,
 * the tables emptied and analyzed as they were before the import, and `insert … select` puts them back (timed).
 * Then the same again inside a transaction that drops every index but the primary keys first and is rolled
 * back: the difference is what index upkeep costs. The tables are left empty, ready for the next run.
 */
export async function measureImportFloor(sql: Sql): Promise<ImportFloor> {
  const rows: Record<string, number> = {}
  for (const table of TABLES) {
    await sql.unsafe(`drop table if exists floor_${table}`)
    await sql.unsafe(`create table floor_${table} as select * from ${table}`)
    rows[table] = Number((await sql.unsafe<{ n: string }[]>(`select count(*) as n from floor_${table}`))[0]?.n ?? 0)
  }
  const empty = async () => {
    await sql.unsafe(`truncate ${TABLES.join(', ')} cascade`)
    for (const table of TABLES) await sql.unsafe(`vacuum analyze ${table}`)
    await sql`checkpoint`
  }
  await empty()
  const seconds = await timedInsert(sql)
  await empty()
  let withoutSecondaryIndexesSeconds = 0
  const drops = await dropSecondaryIndexes(sql)
  await sql.begin(async (tx) => {
    for (const drop of drops) await tx.unsafe(drop)
    withoutSecondaryIndexesSeconds = await timedInsert(tx)
    throw new RolledBack()
  }).catch((error: unknown) => {
    if (!(error instanceof RolledBack)) throw error
  })
  for (const table of TABLES) await sql.unsafe(`drop table floor_${table}`)
  return { seconds, withoutSecondaryIndexesSeconds, rows }
}

class RolledBack extends Error {}
