import type { Db } from 'pg-boss'
import type { Sql } from '../../storage/sql.ts'

type Row = Record<string, unknown>

/** node-postgres sends an object parameter as JSON; postgres.js would send its string form, so it is spelled here. */
function parameter(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Date || value instanceof Uint8Array) return value
  return JSON.stringify(value)
}

/**
 * pg-boss through the gateway's own postgres.js pool, so that it shares the pool's connections and, on the embedded
 * default, the one PGlite session instead of opening a driver of its own. Parameterized statements run on the pool.
 * A text without parameters may be several statements with its own BEGIN and COMMIT (pg-boss's locked blocks and
 * migrations): it runs on a connection reserved for it, rolled back there if it fails, so that no pooled connection
 * is left inside an aborted transaction.
 */
export function postgresJsDatabase(sql: Sql): Db {
  return {
    async executeSql(text, values) {
      if (values !== undefined && values.length > 0) {
        // pg-boss's statements are its own constants; the values travel as parameters.
        return { rows: [...(await sql.unsafe<Row[]>(text, values.map(parameter) as never[]))] }
      }
      const connection = await sql.reserve()
      try {
        const result: unknown = await connection.unsafe(text)
        // Several statements answer one result each; their rows are read together, as pg-boss reads node-postgres's.
        const results = Array.isArray(result) && result.length > 0 && result.every(Array.isArray) ? (result as Row[][]) : [result as Row[]]
        return { rows: results.flatMap((r) => [...r]) }
      } catch (error) {
        await connection.unsafe('rollback').catch(() => {})
        throw error
      } finally {
        connection.release()
      }
    },
  }
}
