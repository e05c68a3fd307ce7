import type postgres from 'postgres'

// Custom type map left at postgres.js defaults; the alias keeps the long generic out of every signature.
export type Sql = postgres.Sql<Record<string, never>>
export type Tx = postgres.TransactionSql<Record<string, never>>
/** Either a pool or a transaction: storage functions that run one statement take this. */
export type Queryable = Sql | Tx
/** A piece of SQL with its parameters, to be interpolated into a larger statement. */
export type Fragment = postgres.PendingQuery<postgres.Row[]>
/** A value postgres.js sends as JSON (`sql.json`, jsonRecords): what a jsonb column is written from. */
export type JsonValue = postgres.JSONValue
