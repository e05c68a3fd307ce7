import type { ContactFields } from '../../domain/contact.ts'
import { fillEmptyFields } from '../../domain/contact-fields.ts'
import { dedupKeys } from '../../domain/dedup.ts'
import { describeErrors, type RowError } from '../../domain/csv/row.ts'
import { contactColumns, lockContactFields } from '../contacts.ts'
import { lockKeys } from '../key-locks.ts'
import { emailKey, mobileKey } from '../../domain/person-keys.ts'
import type { OnDuplicate } from './history.ts'
import type { Sql, Tx } from '../sql.ts'

/** A row that was read: either a contact to save or the reasons it cannot be. `data` is the record as read. */
export type ImportRow =
  | { row: number; kind: 'contact'; fields: ContactFields; data: string[]; warnings?: RowError[] }
  | { row: number; kind: 'failed'; reason: string; errors: RowError[] | null; data: string[] }

export type BatchCounts = { imported: number; updated: number; duplicates: number; failed: number }

export class ImportStopped extends Error {
  constructor(readonly importId: string) {
    super(`import ${importId} is no longer in progress`)
  }
}

type Existing = { id: string; mobile: string | null; email: string | null; other_mobiles: string[]; other_emails: string[]; import_id: string | null; import_row: number | null }

/** Who holds a key: an active contact, or a row of this batch that is about to become one. */
type Holder = { contactId: string; row: number | null; pending: Pending | null }
type Pending = { id: string; row: ImportRow & { kind: 'contact' }; fields: ContactFields }
type NotImported = { row: number; kind: 'failed' | 'duplicate' | 'warning'; reason: string; errors: RowError[] | null; duplicateOf: string | null; data: string[] }

const MAX_STORED_VALUE = 1000

function describeHolder(h: Holder, key: 'mobile' | 'email'): string {
  if (h.row !== null) return `same ${key} as row ${h.row}`
  return `same ${key} as existing contact ${h.contactId}`
}

type RowKey = { key: string; kind: 'mobile' | 'email'; value: string }

function rowKeys(fields: ContactFields): RowKey[] {
  const k = dedupKeys(fields)
  return [
    ...k.mobiles.map((value) => ({ key: `m:${value}`, kind: 'mobile' as const, value })),
    ...k.emails.map((value) => ({ key: `e:${value}`, kind: 'email' as const, value })),
  ]
}

async function loadHolders(tx: Tx, importId: string, keys: RowKey[]): Promise<Map<string, Holder>> {
  const holders = new Map<string, Holder>()
  if (keys.length === 0) return holders
  const m = [...new Set(keys.filter((k) => k.kind === 'mobile').map((k) => k.value))]
  const e = [...new Set(keys.filter((k) => k.kind === 'email').map((k) => k.value))]
  // One branch per index: OR-ed together the planner falls back to a sequential scan of every contact.
  const existing = await tx<Existing[]>`
    with hits as (
      select id from contacts where active and mobile = any(${m}::text[])
      union select id from contacts where active and lower(email) = any(${e}::text[])
      union select id from contacts where active and other_mobiles <> '{}' and other_mobiles && ${m}::text[]
      union select id from contacts where active and other_emails <> '{}' and other_emails && ${e}::text[])
    select c.id, c.mobile, lower(c.email) as email, c.other_mobiles, c.other_emails, c.import_id, c.import_row
    from contacts c join hits h on h.id = c.id`
  for (const c of existing) {
    const holder: Holder = { contactId: c.id, row: c.import_id === importId ? c.import_row : null, pending: null }
    for (const mobile of [c.mobile, ...c.other_mobiles]) if (mobile !== null && !holders.has(`m:${mobile}`)) holders.set(`m:${mobile}`, holder)
    for (const email of [c.email, ...c.other_emails]) if (email !== null && !holders.has(`e:${email}`)) holders.set(`e:${email}`, holder)
  }
  return holders
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

export async function writeBatch(tx: Tx, rows: ImportRow[], o: BatchOptions): Promise<BatchCounts> {
  const { importId, onDuplicate } = o
  const keysOf = new Map(rows.flatMap((r) => (r.kind === 'contact' ? [[r, rowKeys(r.fields)] as const] : [])))
  const holders = await loadHolders(tx, importId, [...keysOf.values()].flat())
  const pending: Pending[] = []
  const updates = new Map<string, ContactFields[]>()
  const notImported: NotImported[] = []
  let updated = 0
  // An imported row that lost a value is listed too, as a warning, with the values it left out and why.
  const warn = (r: ImportRow & { kind: 'contact' }) => {
    if (r.warnings === undefined || r.warnings.length === 0) return
    notImported.push({ row: r.row, kind: 'warning', reason: describeErrors(r.warnings), errors: r.warnings, duplicateOf: null, data: r.data })
  }

  for (const r of rows) {
    if (r.kind === 'failed') {
      notImported.push({ row: r.row, kind: 'failed', reason: r.reason, errors: r.errors, duplicateOf: null, data: r.data })
      continue
    }
    const keys = keysOf.get(r) ?? []
    const hits = keys.flatMap(({ key, kind }) => {
      const h = holders.get(key)
      return h === undefined ? [] : [{ holder: h, kind }]
    })
    if (hits.length === 0) {
      const p: Pending = { id: o.newId(), row: r, fields: r.fields }
      pending.push(p)
      warn(r)
      for (const { key } of keys) holders.set(key, { contactId: p.id, row: r.row, pending: p })
      continue
    }
    const reasons = [...new Set(hits.map(({ holder, kind }) => describeHolder(holder, kind)))]
    const targets = [...new Set(hits.map(({ holder }) => holder.contactId))]
    const first = hits[0]!.holder
    if (onDuplicate === 'update' && targets.length === 1) {
      if (first.pending !== null) first.pending.fields = fillEmptyFields(first.pending.fields, r.fields)
      else updates.set(first.contactId, [...(updates.get(first.contactId) ?? []), r.fields])
      updated++
      warn(r)
      continue
    }
    const suffix = onDuplicate === 'update' ? '; not updated because it matches more than one contact' : ''
    notImported.push({ row: r.row, kind: 'duplicate', reason: `duplicate: ${reasons.join(', ')}${suffix}`, errors: null, duplicateOf: first.contactId, data: r.data })
  }

  if (pending.length > 0) await insertContacts(tx, pending, importId, o.ownerId, o.now)
  if (updates.size > 0) await fillContacts(tx, updates, o.now)
  if (notImported.length > 0) await insertImportRows(tx, importId, notImported)
  const counts: BatchCounts = {
    imported: pending.length,
    updated,
    duplicates: notImported.filter((n) => n.kind === 'duplicate').length,
    failed: notImported.filter((n) => n.kind === 'failed').length,
  }
  // Imported or updated rows that lost a value: counted apart, since they are in imported/updated already.
  const warned = notImported.filter((n) => n.kind === 'warning').length
  const [still] = await tx`
    update imports set total_rows = total_rows + ${rows.length}, imported = imported + ${counts.imported},
      updated = updated + ${counts.updated}, duplicates = duplicates + ${counts.duplicates}, failed = failed + ${counts.failed},
      warnings = warnings + ${warned},
      bytes_read = ${o.bytesRead}
    where id = ${importId} and status = 'in_progress' returning id`
  if (still === undefined) throw new ImportStopped(importId)
  return counts
}

/** The editable fields of many contacts as parallel arrays for unnest, in the order of FIELD_NAMES. */
function fieldArrays(tx: Tx, fields: ContactFields[]) {
  const cols = fields.map(contactColumns)
  return tx`${cols.map((c) => c.name)}::text[], ${cols.map((c) => c.mobile)}::text[], ${cols.map((c) => c.email)}::text[],
            ${cols.map((c) => c.date_of_birth)}::text[], ${cols.map((c) => c.company)}::text[], ${cols.map((c) => c.street)}::text[],
            ${cols.map((c) => c.city)}::text[], ${cols.map((c) => c.state)}::text[], ${cols.map((c) => c.zip)}::text[],
            ${cols.map((c) => c.country)}::text[], ${cols.map((c) => c.country_source)}::text[],
            ${fields.map((f) => JSON.stringify(f.social))}::text[]`
}

const FIELD_NAMES = (tx: Tx) => tx`name, mobile, email, dob, company, street, city, state, zip, country, country_source, social`

async function insertContacts(tx: Tx, pending: Pending[], importId: string, ownerId: string | null, now: Date): Promise<void> {
  const others = pending.map((p) => contactColumns(p.fields))
  const inserted = await tx`
    insert into contacts (id, name, mobile, email, date_of_birth, company, street, city, state, zip, country, country_source,
                          social, other_mobiles, other_emails, owner_id, preference, source, issues, created_at, updated_at,
                          import_id, import_row)
    select id, name, mobile, email, dob::date, company, street, city, state, zip, country, country_source,
           social::jsonb, coalesce(array(select jsonb_array_elements_text(om::jsonb)), '{}'),
           coalesce(array(select jsonb_array_elements_text(oe::jsonb)), '{}'),
           ${ownerId}::uuid, 'reactive', 'import', '[]'::jsonb, ${now}::timestamptz, ${now}::timestamptz, ${importId}::uuid, import_row
    from unnest(${pending.map((p) => p.id)}::uuid[], ${fieldArrays(tx, pending.map((p) => p.fields))},
                ${others.map((c) => (c.other_mobiles.length === 0 ? null : JSON.stringify(c.other_mobiles)))}::text[],
                ${others.map((c) => (c.other_emails.length === 0 ? null : JSON.stringify(c.other_emails)))}::text[],
                ${pending.map((p) => p.row.row)}::int[])
         as t(id, ${FIELD_NAMES(tx)}, om, oe, import_row)
    on conflict do nothing
    returning id`
  if (inserted.length !== pending.length) throw new BatchRace()
}

async function fillContacts(tx: Tx, updates: Map<string, ContactFields[]>, now: Date): Promise<void> {
  const current = await lockContactFields(tx, [...updates.keys()])
  const ids: string[] = []
  const next: ContactFields[] = []
  for (const [id, incoming] of updates) {
    const base = current.get(id)
    // Merged away or deleted since it was read: the retry sees the new state.
    if (base === undefined) throw new BatchRace()
    ids.push(id)
    next.push(incoming.reduce((acc, fields) => fillEmptyFields(acc, fields), base))
  }
  await tx`
    update contacts c set name = t.name, mobile = t.mobile, email = t.email, date_of_birth = t.dob::date, company = t.company,
      street = t.street, city = t.city, state = t.state, zip = t.zip, country = t.country, country_source = t.country_source,
      social = t.social::jsonb, updated_at = ${now}
    from unnest(${ids}::uuid[], ${fieldArrays(tx, next)}) as t(id, ${FIELD_NAMES(tx)})
    where c.id = t.id`
}

async function insertImportRows(tx: Tx, importId: string, rows: NotImported[]): Promise<void> {
  await tx`
    insert into import_rows (import_id, row_number, kind, reason, errors, duplicate_of, data)
    select ${importId}::uuid, row_number, kind, reason, errors::jsonb, duplicate_of, data::jsonb
    from unnest(${rows.map((r) => r.row)}::int[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.reason)}::text[],
                ${rows.map((r) => (r.errors === null ? null : JSON.stringify(r.errors)))}::text[],
                ${rows.map((r) => r.duplicateOf)}::uuid[],
                ${rows.map((r) => JSON.stringify(r.data.map((v) => (v.length > MAX_STORED_VALUE ? `${v.slice(0, MAX_STORED_VALUE)}…` : v))))}::text[])
         as t(row_number, kind, reason, errors, duplicate_of, data)
    on conflict (import_id, row_number) do nothing`
}

export type BatchOptions = { importId: string; ownerId: string | null; onDuplicate: OnDuplicate; newId: () => string; now: Date; bytesRead: number }

/** Rows written together again after a lost race: each part holds the locks of its keys (at most 2 × 250). */
const LOCKED_ROWS = 250
const LOCKED_ATTEMPTS = 5

function keyLocks(rows: ImportRow[]): string[] {
  return rows.flatMap((r) => (r.kind === 'contact' ? rowKeys(r.fields).map((k) => (k.kind === 'mobile' ? mobileKey(k.value) : emailKey(k.value))) : []))
}

async function attempt(sql: Sql, rows: ImportRow[], o: BatchOptions, locked: boolean): Promise<BatchCounts> {
  return sql.begin(async (tx) => {
    // A batch lost in a crash is lost with its counters (same transaction), and the import is then marked
    // interrupted, so waiting for the WAL flush on every batch buys nothing; finishing stays synchronous.
    await tx`set local synchronous_commit = off`
    // The per-person locks inbound messages, CRM records and merges take (storage/key-locks.ts): while they are
    // held, none of those can take a key of these rows, so the attempt cannot lose to them.
    if (locked) await lockKeys(tx, keyLocks(rows))
    return writeBatch(tx, rows, o)
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
 * read at once, duplicates are decided in memory in row order, new contacts go in with one insert … select from
 * unnest, and the import's counters move with them in the same transaction, so progress never runs ahead of the
 * data. A concurrent writer that takes a key first (another import, a webhook) makes the rows start over, in
 * parts that hold the keys' locks, until they win; the unique indexes guarantee that no twin is written meanwhile.
 */
export function saveImportBatch(sql: Sql, rows: ImportRow[], o: BatchOptions): Promise<BatchCounts> {
  return saveRows(sql, rows, o, false)
}
