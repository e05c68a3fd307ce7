import type { ContactFields } from './contact.ts'
import { fillEmptyFields } from './contact-fields.ts'
import { describeErrors, type RowError, type RowExtras, type RowOutcome } from './csv/row.ts'
import { dedupKeys } from './dedup.ts'
import { emailKey, mobileKey } from './person-keys.ts'

/** What an import does with a row whose mobile or email an active contact already has. */
export type OnDuplicate = 'skip' | 'update'

/** A row that was read: either a contact to save or the reasons it cannot be. `data` is the record as read. */
export type ImportRow =
  | ({ row: number; kind: 'contact'; fields: ContactFields; data: string[]; warnings?: RowError[] } & RowExtras)
  | { row: number; kind: 'failed'; reason: string; errors: RowError[] | null; data: string[] }

/** A row read as a contact, with its labels and custom values when it has any. */
export function contactRow(row: number, data: string[], outcome: RowOutcome & { kind: 'contact' }): ImportRow {
  const out: ImportRow = { row, kind: 'contact', fields: outcome.fields, data, warnings: outcome.warnings }
  if (outcome.labels !== undefined) out.labels = outcome.labels
  if (outcome.custom !== undefined) out.custom = outcome.custom
  return out
}

/**
 * An active contact that holds a mobile or email of the batch, as storage read it (emails lower-cased).
 * `importRow` is its row when this same import wrote it, so a duplicate can name the row instead of the id.
 */
export type KeyHolder = { id: string; mobile: string | null; email: string | null; otherMobiles: string[]; otherEmails: string[]; importRow: number | null }

/** A row kept in the import's list with its reason: not imported (failed, duplicate), or imported without a value (warning). */
export type ListedRow = { row: number; kind: 'failed' | 'duplicate' | 'warning'; reason: string; errors: RowError[] | null; duplicateOf: string | null; data: string[] }

export type BatchCounts = { imported: number; updated: number; duplicates: number; failed: number }

/** A new contact; `filledBy` are the later rows of the batch that matched it and filled its empty fields. */
export type PlannedInsert = { id: string; row: number; fields: ContactFields; filledBy: number[] }
/** An existing contact whose empty fields these rows fill, in row order (see fillFromRows). */
export type PlannedUpdate = { contactId: string; rows: { row: number; fields: ContactFields }[] }

export type BatchPlan = {
  inserts: PlannedInsert[]
  updates: PlannedUpdate[]
  /** In row order. */
  listed: ListedRow[]
  counts: BatchCounts
  /** Imported or updated rows that lost a value: listed, but counted apart since they are in imported/updated. */
  warnings: number
}

/** The mobiles and emails of a batch's contact rows, each once: what storage reads the holders of and locks. */
export function batchKeys(rows: readonly ImportRow[]): { mobiles: string[]; emails: string[] } {
  const mobiles = new Set<string>()
  const emails = new Set<string>()
  for (const r of rows) {
    if (r.kind !== 'contact') continue
    const k = dedupKeys(r.fields)
    for (const m of k.mobiles) mobiles.add(m)
    for (const e of k.emails) emails.add(e)
  }
  return { mobiles: [...mobiles], emails: [...emails] }
}

/** An existing contact after the rows that matched it: each empty field takes the first row's value that has one. */
export function fillFromRows(base: ContactFields, incoming: readonly ContactFields[]): ContactFields {
  return incoming.reduce((acc, fields) => fillEmptyFields(acc, fields), base)
}

type KeyKind = 'mobile' | 'email'
type RowKey = { key: string; kind: KeyKind }
/** Who holds a key while the batch is planned: an existing contact, or a row of this batch planned as a new one. */
type Holder = { contactId: string; row: number | null; insert: PlannedInsert | null; mobile: string | null; email: string | null }

function rowKeys(f: Pick<ContactFields, 'mobile' | 'email' | 'otherMobiles' | 'otherEmails'>): RowKey[] {
  const k = dedupKeys(f)
  return [...k.mobiles.map((m) => ({ key: mobileKey(m), kind: 'mobile' as const })), ...k.emails.map((e) => ({ key: emailKey(e), kind: 'email' as const }))]
}

function describeHolder(h: Holder, kind: KeyKind): string {
  return h.row !== null ? `same ${kind} as row ${h.row}` : `same ${kind} as existing contact ${h.contactId}`
}

function heldKeys(holders: readonly KeyHolder[]): Map<string, Holder> {
  const held = new Map<string, Holder>()
  for (const c of holders) {
    const h: Holder = { contactId: c.id, row: c.importRow, insert: null, mobile: c.mobile, email: c.email }
    // The first holder read keeps a key (other mobiles and emails are not unique in the schema).
    for (const { key } of rowKeys(c)) if (!held.has(key)) held.set(key, h)
  }
  return held
}

/**
 * A fill gives the contact a mobile or email it lacked: from then on it holds that key, so a later row with it
 * matches this contact instead of becoming a second one (which the unique indexes would refuse).
 */
function holdFilledKeys(held: Map<string, Holder>, h: Holder, incoming: ContactFields): void {
  const mobile = h.mobile === null ? incoming.mobile : null
  const email = h.email === null ? incoming.email : null
  if (mobile !== null) h.mobile = mobile
  if (email !== null) h.email = email
  for (const { key } of rowKeys({ mobile, email, otherMobiles: [], otherEmails: [] })) held.set(key, h)
}

/**
 * The duplicate policy of an import batch, decided in row order against the contacts that hold its keys and the
 * rows before it: a row no one holds a key of is a new contact; a row whose keys are held by one contact fills
 * that contact's empty fields (`update`) or is a duplicate (`skip`); a row whose keys are held by several is a
 * duplicate either way, since filling one of them would be a guess. Failed rows are listed as they came.
 */
export function planImportBatch(rows: readonly ImportRow[], holders: readonly KeyHolder[], onDuplicate: OnDuplicate, newId: () => string): BatchPlan {
  const held = heldKeys(holders)
  const inserts: PlannedInsert[] = []
  const updates = new Map<string, PlannedUpdate>()
  const listed: ListedRow[] = []
  let updated = 0
  const warn = (r: ImportRow & { kind: 'contact' }) => {
    if (r.warnings === undefined || r.warnings.length === 0) return
    listed.push({ row: r.row, kind: 'warning', reason: describeErrors(r.warnings), errors: r.warnings, duplicateOf: null, data: r.data })
  }

  for (const r of rows) {
    if (r.kind === 'failed') {
      listed.push({ row: r.row, kind: 'failed', reason: r.reason, errors: r.errors, duplicateOf: null, data: r.data })
      continue
    }
    const keys = rowKeys(r.fields)
    const hits = keys.flatMap(({ key, kind }) => {
      const h = held.get(key)
      return h === undefined ? [] : [{ holder: h, kind }]
    })
    const first = hits[0]?.holder
    if (first === undefined) {
      const insert: PlannedInsert = { id: newId(), row: r.row, fields: r.fields, filledBy: [] }
      inserts.push(insert)
      const h: Holder = { contactId: insert.id, row: r.row, insert, mobile: r.fields.mobile, email: r.fields.email }
      for (const { key } of keys) held.set(key, h)
      warn(r)
      continue
    }
    const targets = new Set(hits.map(({ holder }) => holder.contactId))
    if (onDuplicate === 'update' && targets.size === 1) {
      if (first.insert !== null) {
        first.insert.fields = fillEmptyFields(first.insert.fields, r.fields)
        first.insert.filledBy.push(r.row)
      } else {
        const update = updates.get(first.contactId) ?? { contactId: first.contactId, rows: [] }
        update.rows.push({ row: r.row, fields: r.fields })
        updates.set(first.contactId, update)
      }
      holdFilledKeys(held, first, r.fields)
      updated++
      warn(r)
      continue
    }
    const reasons = [...new Set(hits.map(({ holder, kind }) => describeHolder(holder, kind)))]
    const suffix = onDuplicate === 'update' ? '; not updated because it matches more than one contact' : ''
    listed.push({ row: r.row, kind: 'duplicate', reason: `duplicate: ${reasons.join(', ')}${suffix}`, errors: null, duplicateOf: first.contactId, data: r.data })
  }

  const count = (kind: ListedRow['kind']) => listed.filter((l) => l.kind === kind).length
  return {
    inserts,
    updates: [...updates.values()],
    listed,
    counts: { imported: inserts.length, updated, duplicates: count('duplicate'), failed: count('failed') },
    warnings: count('warning'),
  }
}
