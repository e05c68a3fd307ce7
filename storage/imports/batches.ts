import { batchKeys, fillFromRows, planImportBatch, type BatchCounts, type ImportRow, type KeyHolder, type OnDuplicate, type PlannedInsert, type PlannedUpdate } from '../../domain/import-batch.ts'
import { contactKeys } from '../../domain/person-keys.ts'
import { contactColumns, isUniqueViolation, lockContactFields } from '../contacts.ts'
import { lockKeys } from '../key-locks.ts'
import { jsonRecords, type RecordColumns } from '../records.ts'
import type { Fragment, Sql, Tx } from '../sql.ts'
import { addImportCounts, ImportStopped } from './counters.ts'
import { insertImportRows } from './rows.ts'
import { contactChanges } from '../../domain/history.ts'
import { recordHistory, type NewHistoryEntry } from '../history.ts'
import { organizeBatch } from './organize.ts'
import type { ImportOptions } from './options.ts'

type HolderRow = { id: string; mobile: string | null; email: string | null; other_mobiles: string[]; other_emails: string[]; import_id: string | null; import_row: number | null }

/** The active contacts that hold any of these mobiles and emails: what the batch's plan decides against. */
async function readKeyHolders(tx: Tx, importId: string, keys: { mobiles: string[]; emails: string[] }): Promise<KeyHolder[]> {
  const { mobiles: m, emails: e } = keys
  if (m.length === 0 && e.length === 0) return []
  // Each key is looked up on its own, one branch per index (OR-ed together, or joined back to contacts by id, the
  // planner scanned the whole book). Whatever the statistics say: a plan for `= any(…)` of a thousand keys, kept
  // from an import's first batch into an empty book, scanned every contact on every later batch (up to 6.9 s a
  // batch at 1M), and an array of a thousand against a GIN index looked dearer than reading every row.
  const holder = (keys: string[], where: Fragment) => tx`
    select c.id, c.mobile, lower(c.email) as email, c.other_mobiles, c.other_emails, c.import_id, c.import_row
    from unnest(${keys}::text[]) k cross join lateral (select * from contacts where active and ${where}) c`
  const rows = await tx<HolderRow[]>`
    ${holder(m, tx`mobile = k`)}
    union ${holder(e, tx`lower(email) = k`)}
    union ${holder(m, tx`other_mobiles <> '{}' and other_mobiles @> array[k]`)}
    union ${holder(e, tx`other_emails <> '{}' and other_emails @> array[k]`)}`
  return rows.map((c) => ({
    id: c.id, mobile: c.mobile, email: c.email, otherMobiles: c.other_mobiles, otherEmails: c.other_emails,
    importRow: c.import_id === importId ? c.import_row : null,
  }))
}

/** A concurrent writer took a key between our read and our write; the batch is redone on a fresh snapshot. */
class BatchRace extends Error {
  constructor() {
    super('another writer took a mobile or email of these rows at the same moment')
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof BatchRace) return true
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : null
  return code === '23505' || code === '40P01' || code === '40001'
}

/** Writes what the batch's plan says, and moves the import's counters with it; a stopped import rolls it back. */
export async function writeBatch(tx: Tx, rows: ImportRow[], o: BatchOptions): Promise<BatchCounts> {
  const holders = await readKeyHolders(tx, o.importId, batchKeys(rows))
  const plan = planImportBatch(rows, holders, o.onDuplicate, o.newId)
  const numbers = rows.map((r) => r.row)
  // The new contacts, the listed rows and the counters go out together: PostgreSQL runs them in order on the
  // batch's connection, with no round trip between them to wait through. A stopped import still rolls all back.
  const [, , status] = await Promise.all([
    plan.inserts.length > 0 ? insertContacts(tx, plan.inserts, o) : null,
    plan.listed.length > 0 ? insertImportRows(tx, o.importId, plan.listed) : null,
    addImportCounts(tx, o.importId, { rows: rows.length, ...plan.counts, warnings: plan.warnings }, o.bytesRead, { first: Math.min(...numbers), last: Math.max(...numbers) }),
  ])
  if (status !== 'in_progress') throw new ImportStopped(o.importId)
  if (plan.updates.length > 0) await fillContacts(tx, plan.updates, o)
  await organizeBatch(tx, rows, plan, o)
  return plan.counts
}

/** The editable fields of a contact under their column names, for jsonRecords with FIELD_COLUMNS. */
const FIELD_COLUMNS = {
  name: 'text', mobile: 'text', email: 'text', date_of_birth: 'date', company: 'text', street: 'text', city: 'text', state: 'text',
  zip: 'text', country: 'text', country_source: 'text', social: 'jsonb',
} as const satisfies RecordColumns

/** A contact's columns as FIELD_COLUMNS names them, with its other mobiles and emails apart (an update keeps them). */
function fieldRecord(f: PlannedInsert['fields']) {
  const { other_mobiles, other_emails, ...columns } = contactColumns(f)
  return { fields: { ...columns, social: f.social }, others: { other_mobiles, other_emails } }
}

async function insertContacts(tx: Tx, inserts: PlannedInsert[], o: BatchOptions): Promise<void> {
  const columns = { id: 'uuid', ...FIELD_COLUMNS, other_mobiles: 'text[]', other_emails: 'text[]', import_row: 'int' } as const satisfies RecordColumns
  const records = inserts.map((p) => {
    const { fields, others } = fieldRecord(p.fields)
    return { id: p.id, ...fields, ...others, import_row: p.row }
  })
  // A plain insert: the plan holds no key a contact of the snapshot holds, and a writer that took one since makes
  // the unique index raise 23505, said as the race it is (a row that loses every attempt gives that reason). ON
  // CONFLICT DO NOTHING probed the three unique indexes a second time for every row.
  await tx`
    insert into contacts (id, name, mobile, email, date_of_birth, company, street, city, state, zip, country, country_source,
                          social, other_mobiles, other_emails, owner_id, preference, source, issues, created_at, updated_at,
                          import_id, import_row)
    select x.id, x.name, x.mobile, x.email, x.date_of_birth, x.company, x.street, x.city, x.state, x.zip, x.country, x.country_source,
           x.social, x.other_mobiles, x.other_emails,
           ${o.ownerId}::uuid, 'reactive', 'import', '[]'::jsonb, ${o.now}::timestamptz, ${o.now}::timestamptz, ${o.importId}::uuid, x.import_row
    from ${jsonRecords(tx, columns, records)}`.catch((error: unknown) => {
    throw isUniqueViolation(error) ? new BatchRace() : error
  })
}

/** Update mode: each matched contact's empty fields filled, and what changed in its history as the import's. */
async function fillContacts(tx: Tx, updates: PlannedUpdate[], o: BatchOptions): Promise<void> {
  const now = o.now
  const current = await lockContactFields(tx, updates.map((u) => u.contactId))
  const history: NewHistoryEntry[] = []
  const records = updates.map((u) => {
    const base = current.get(u.contactId)
    // Merged away or deleted since it was read: the retry sees the new state.
    if (base === undefined) throw new BatchRace()
    const filled = fillFromRows(base, u.rows.map((r) => r.fields))
    const changes = contactChanges(base, filled)
    if (Object.keys(changes).length > 0) history.push({ contactId: u.contactId, at: now, kind: 'updated', actorId: o.ownerId, source: 'import', changes, importId: o.importId })
    return { id: u.contactId, ...fieldRecord(filled).fields }
  })
  await recordHistory(tx, history)
  await tx`
    update contacts c set name = x.name, mobile = x.mobile, email = x.email, date_of_birth = x.date_of_birth, company = x.company,
      street = x.street, city = x.city, state = x.state, zip = x.zip, country = x.country, country_source = x.country_source,
      social = x.social, updated_at = ${now}
    from ${jsonRecords(tx, { id: 'uuid', ...FIELD_COLUMNS }, records)}
    where c.id = x.id`
}

export type BatchOptions = { importId: string; ownerId: string | null; onDuplicate: OnDuplicate; newId: () => string; now: Date; bytesRead: number } & Partial<ImportOptions>

/** Rows written together again after a lost race: each part holds the locks of its keys (at most 2 × 250). */
const LOCKED_ROWS = 250
const LOCKED_ATTEMPTS = 5

function keyLocks(rows: ImportRow[]): string[] {
  const { mobiles, emails } = batchKeys(rows)
  return contactKeys(mobiles, emails)
}

async function attempt(sql: Sql, rows: ImportRow[], o: BatchOptions, locked: boolean): Promise<BatchCounts> {
  return sql.begin(async (tx) => {
    // A batch lost in a crash is lost with its counters (same transaction), and the import is then marked
    // interrupted, so waiting for the WAL flush on every batch buys nothing; finishing stays synchronous.
    // Every statement of a batch reads rows by keys and ids. The planner's costs assume a disk, not a cache, and
    // chose to hash a scan of the whole book over a thousand index probes until it held ~150,000 contacts (measured:
    // 42 ms a batch at 21,000 contacts, against 8 through the indexes), so scans and hashes are left out here.
    // Sent without waiting for its answer: the statements after it follow on the same connection, in order.
    const settings = tx`
      select set_config('synchronous_commit', 'off', true), set_config('enable_seqscan', 'off', true),
             set_config('enable_hashjoin', 'off', true), set_config('enable_mergejoin', 'off', true)`.execute()
    // The per-person locks inbound messages, CRM records and merges take (storage/key-locks.ts): while they are
    // held, none of those can take a key of these rows, so the attempt cannot lose to them.
    const [, counts] = await Promise.all([settings, (async () => {
      if (locked) await lockKeys(tx, keyLocks(rows))
      return writeBatch(tx, rows, o)
    })()])
    return counts
  })
}

function sum(a: BatchCounts, b: BatchCounts): BatchCounts {
  return { imported: a.imported + b.imported, updated: a.updated + b.updated, duplicates: a.duplicates + b.duplicates, failed: a.failed + b.failed }
}

/**
 * Writes rows, as one transaction while that wins, else in smaller locked parts down to one row: a row that
 * still loses every attempt (to writers that take no locks, such as a hand-made contact) is the one thing that
 * gives, as a failed row with its reason; the rest of the file never does.
 */
async function saveRows(sql: Sql, rows: ImportRow[], o: BatchOptions, locked: boolean): Promise<BatchCounts> {
  let lost: unknown
  for (let n = 1; n <= (locked ? LOCKED_ATTEMPTS : 1); n++) {
    try {
      return await attempt(sql, rows, o, locked)
    } catch (error) {
      if (!isRetryable(error)) throw error
      lost = error
    }
  }
  const [only] = rows
  if (rows.length === 1 && only !== undefined) {
    const reason = `not imported: ${lost instanceof Error ? lost.message : String(lost)}, ${LOCKED_ATTEMPTS} times over; import this row again`
    return attempt(sql, [{ row: only.row, kind: 'failed', reason, errors: null, data: only.data }], o, false)
  }
  const size = locked ? Math.ceil(rows.length / 4) : LOCKED_ROWS
  let counts: BatchCounts = { imported: 0, updated: 0, duplicates: 0, failed: 0 }
  for (let i = 0; i < rows.length; i += size) counts = sum(counts, await saveRows(sql, rows.slice(i, i + size), o, true))
  return counts
}

/**
 * Saves one batch of rows with set-based statements: the holders of every mobile and email in the batch are
 * read at once, duplicates are decided in memory in row order (domain/import-batch.ts), new contacts go in with
 * one insert … select from a JSON record set, and the import's counters move with them in the same transaction,
 * so progress never runs ahead of the data. A concurrent writer that takes a key first (another import, a
 * webhook) makes the rows start over, in parts that hold the keys' locks, until they win; the unique indexes
 * guarantee that no twin is written meanwhile.
 */
export function saveImportBatch(sql: Sql, rows: ImportRow[], o: BatchOptions): Promise<BatchCounts> {
  return saveRows(sql, rows, o, false)
}
