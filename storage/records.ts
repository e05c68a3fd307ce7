import type { Fragment, JsonValue, Queryable } from './sql.ts'

/** The column types a bulk write reads from JSON; a JSON array becomes a PostgreSQL array of the `[]` types. */
export type ColumnType = 'uuid' | 'text' | 'int' | 'bigint' | 'boolean' | 'date' | 'timestamptz' | 'jsonb' | 'text[]' | 'uuid[]'
export type RecordColumns = Record<string, ColumnType>

/** One record as the statement reads it: a JSON value under every column of the map. */
export type RecordOf<C extends RecordColumns> = { readonly [K in keyof C]: JsonValue }

const COLUMN_NAME = /^[a-z_][a-z0-9_]*$/

/**
 * Many rows into one statement, the way every bulk write in storage does it: an array of objects sent as one
 * JSON parameter and read back as a set of typed rows, `jsonb_to_recordset(...) as x(col type, ...)`. Each value
 * travels under its column's name, so no list of positional arrays has to be kept in line with a list of names.
 * Use as `select ... from ${jsonRecords(tx, columns, records)}`; the rows are `x`.
 */
export function jsonRecords<C extends RecordColumns>(sql: Queryable, columns: C, records: readonly RecordOf<C>[]): Fragment {
  const definition = Object.entries(columns).map(([name, type]) => {
    // Names and types are the caller's constants, never input; the check keeps it that way.
    if (!COLUMN_NAME.test(name)) throw new Error(`not a column name: ${name}`)
    return `${name} ${type}`
  })
  return sql`jsonb_to_recordset(${sql.json(records)}) as x(${sql.unsafe(definition.join(', '))})`
}
