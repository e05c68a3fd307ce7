import type { Readable } from 'node:stream'
import type { CustomFieldDefinition } from '../domain/custom-fields.ts'
import { matchingContacts, type ContactFilter } from './contact-list.ts'
import { labelNames } from './contacts.ts'
import type { Fragment, Queryable, Sql } from './sql.ts'

const COALESCE_BYTES = 64 * 1024

/** Rows per statement of a filtered export: about 4 MB of CSV; few statements to plan. */
const EXPORT_BATCH = 20_000

/** Text as a cell (migration 075): a formula neutralized, and nothing (null) where empty, as csv-stringify writes "". */
const text = (sql: Queryable, value: Fragment) => sql`nullif(csv_neutralize(${value}), '')`

/** A time as JavaScript's toISOString writes it, which is what the API shows. */
const isoTime = (sql: Queryable, column: Fragment) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/**
 * The custom values as columns named by their keys: COPY takes no parameters, so the keys go in as identifiers
 * (postgres.js quotes them) of a record read from the contact's fields, not as string parameters.
 */
const customColumns = (sql: Queryable, defs: readonly CustomFieldDefinition[]) =>
  defs.length === 0 ? sql`` : sql`cross join lateral jsonb_to_record(c.fields) as f(${defs.map((d, i) => (i === 0 ? sql`${sql(d.key)} jsonb` : sql`, ${sql(d.key)} jsonb`))})`

/** A custom value as a person reads it: yes/no for a boolean, else the value as text (domain customValueText). */
const customText = (sql: Queryable, key: string) =>
  sql`case jsonb_typeof(f.${sql(key)}) when 'boolean' then case when f.${sql(key)}::boolean then 'yes' else 'no' end else f.${sql(key)} #>> '{}' end`

/**
 * A contact's cells in the order of CONTACT_CSV_COLUMNS, then Labels and the custom fields: neutralized text, or
 * null when empty. Ids, owners, preference, source and times never need neutralizing. The statement has no
 * parameters, so that COPY can run it.
 */
function cells(sql: Queryable, defs: readonly CustomFieldDefinition[]): Fragment[] {
  return [
    sql`c.id`, text(sql, sql`c.name`), text(sql, sql`c.mobile`), text(sql, sql`c.email`), text(sql, sql`c.date_of_birth::text`),
    text(sql, sql`c.company`), text(sql, sql`c.street`), text(sql, sql`c.city`), text(sql, sql`c.state`), text(sql, sql`c.zip`), text(sql, sql`c.country`),
    text(sql, sql`c.social ->> 'instagram'`), text(sql, sql`c.social ->> 'facebook'`), text(sql, sql`c.social ->> 'linkedin'`), text(sql, sql`c.social ->> 'twitter'`),
    text(sql, sql`array_to_string(c.other_mobiles, '; ')`), text(sql, sql`array_to_string(c.other_emails, '; ')`),
    sql`c.owner_id`, sql`c.preference`, sql`c.source`,
    text(sql, sql`(select string_agg(i.channel || ':' || i.external_id, '; ' order by i.created_at) from identities i where i.contact_id = c.id)`),
    isoTime(sql, sql`c.created_at`), isoTime(sql, sql`c.updated_at`),
    text(sql, sql`array_to_string(${labelNames(sql, sql`c.label_ids`)}, '; ')`),
    ...defs.map((d) => text(sql, customText(sql, d.key))),
  ]
}

const joined = (sql: Queryable, parts: Fragment[], separator: Fragment) => parts.reduce((all, next) => sql`${all}${separator}${next}`)

/**
 * Every active contact, newest first, written by PostgreSQL's own COPY as CSV: the quoting (a cell holding a quote,
 * a comma or a line break) is the same as csv-stringify's, and empty cells are null, which COPY leaves bare.
 */
export async function* wholeBookCsv(sql: Sql, defs: readonly CustomFieldDefinition[]): AsyncGenerator<Uint8Array> {
  // A connection of its own: while COPY streams, postgres.js must not hand the connection to another query.
  const own = await sql.reserve()
  let stream: Readable
  try {
    stream = (await own`copy (
      select ${joined(own, cells(own, defs), own`, `)} from contacts c ${customColumns(own, defs)}
      where c.active order by c.id desc) to stdout with (format csv)`.readable()) as Readable
  } catch (error) {
    own.release()
    throw error
  }
  let finished = false
  try {
    // Not destroyed when the reader stops: postgres.js pauses its socket while the stream is full, and a destroyed
    // stream is never read again, which would leave the connection taken for good.
    // COPY sends a message per row: they are passed on in pieces of COALESCE_BYTES, not one write per contact.
    let pending: Buffer[] = []
    let pendingBytes = 0
    for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      pending.push(chunk)
      pendingBytes += chunk.length
      if (pendingBytes < COALESCE_BYTES) continue
      const piece = Buffer.concat(pending, pendingBytes)
      pending = []
      pendingBytes = 0
      yield piece
    }
    if (pendingBytes > 0) yield Buffer.concat(pending, pendingBytes)
    finished = true
  } finally {
    if (finished) own.release()
    // A download the reader gave up on: the rest of the COPY is drained (postgres.js's cancel does not reach a
    // COPY), and the connection goes back to the pool when it ends.
    else {
      let released = false
      const release = () => { if (!released) { released = true; own.release() } }
      stream.on('error', release).on('end', release).resume()
    }
  }
}

type Batch = { csv: string; last: string | null; rows: number }

// A filter has values, and COPY takes no parameters: a filtered export reads lines the database has put together
// (csv_quote quotes as COPY does), in batches ordered by id. Both sides of the join are bounded by the last id: the
// planner merges them on id and does not carry the bound across, so the other side would walk from the newest
// contact at every batch.
async function readBatch(sql: Queryable, filter: ContactFilter, defs: readonly CustomFieldDefinition[], after: string | null, size: number): Promise<Batch> {
  const line = joined(sql, cells(sql, defs).map((cell) => sql`csv_quote(${cell}::text)`), sql` || ',' || `)
  const rows = await sql<{ line: string; id: string }[]>`
    select ${line} as line, c.id
    from ${matchingContacts(sql, filter)} m join contacts c on c.id = m.id ${customColumns(sql, defs)}
    ${after === null ? sql`` : sql`where m.id < ${after} and c.id < ${after}`}
    order by m.id desc limit ${size}`
  let csv = ''
  for (const row of rows) csv += row.line + '\n'
  return { csv, last: rows.at(-1)?.id ?? null, rows: rows.length }
}

/** The matching contacts' rows, newest first, as CSV text; the next batch is read while this one is sent. */
export async function* filteredCsv(sql: Queryable, filter: ContactFilter, defs: readonly CustomFieldDefinition[], batchSize = EXPORT_BATCH): AsyncGenerator<string> {
  let next: Promise<Batch> | null = readBatch(sql, filter, defs, null, batchSize)
  try {
    while (next !== null) {
      const batch: Batch = await next
      next = batch.rows === batchSize ? readBatch(sql, filter, defs, batch.last, batchSize) : null
      if (batch.rows > 0) yield batch.csv
    }
  } finally {
    // A download the reader gave up on leaves a batch in flight; its outcome is of no use.
    next?.catch(() => {})
  }
}
