import type { ContactIssue, Preference } from '../domain/contact.ts'
import type { CrmSystem } from '../domain/crm.ts'
import { chooseCrmContact, crmConflictReason, crmIncoming, crmRecordKeys, planCrmRecord } from '../domain/crm-merge.ts'
import type { ListedRow } from '../domain/import-batch.ts'
import type { ContactPatch } from '../domain/validate.ts'
import { contactColumns, findContactConflict, isUniqueViolation, loadContact } from './contacts.ts'
import { takeOverInactiveIdentity } from './identities.ts'
import { addImportCounts } from './imports/counters.ts'
import { insertImportRows } from './imports/rows.ts'
import { lockKeys } from './key-locks.ts'
import { contactChanges, creationChanges } from '../domain/history.ts'
import { recordHistory } from './history.ts'
import type { Sql } from './sql.ts'

export type CrmUpsert = {
  system: CrmSystem
  externalId: string
  patch: ContactPatch
  issues: ContactIssue[]
  /** Whether the record had a phone at all: only then does it decide the missing_country_code issue. */
  phoneGiven: boolean
  ownerId: string | null
  preference: Preference
  newId: () => string
  now: Date
  /** The sync's import, for the contact's history; absent for a push. */
  importId?: string | null
}

export type CrmOutcome = { kind: 'imported' | 'updated'; contactId: string } | { kind: 'failed'; reason: string }

/**
 * One CRM record into the book, as domain/crm-merge.ts plans it: the contact linked to this CRM id, or else the one
 * with its mobile or email, takes the values the CRM has; otherwise a new contact is created with the CRM id as its
 * identity. Serialized per CRM id, mobile and email by advisory locks (the same keys inbound messages take), so a
 * push and a sync of one record, or a message from the same number, never make twins.
 */
export async function applyCrmRecord(sql: Sql, u: CrmUpsert): Promise<CrmOutcome> {
  const attempt = () => sql.begin(async (tx): Promise<CrmOutcome> => {
    const incoming = crmIncoming(u.patch)
    await lockKeys(tx, crmRecordKeys(u.system, u.externalId, incoming))
    const [linked] = await tx<{ id: string }[]>`
      select c.id from identities i join contacts c on c.id = i.contact_id and c.active where i.channel = ${u.system} and i.external_id = ${u.externalId}`
    const linkedId = linked?.id ?? null
    // The key holder is read only when no contact is linked: a sync of records already linked pays no extra query.
    const holderId = linkedId === null ? ((await findContactConflict(tx, incoming, [], null))?.existingId ?? null) : null
    const matchedId = chooseCrmContact(linkedId, holderId)
    const before = matchedId === null ? null : await loadContact(tx, matchedId)
    const write = planCrmRecord(u, before)

    const identity = { channel: u.system, externalId: u.externalId }
    const conflict = write.kind === 'create'
      ? await findContactConflict(tx, write.fields, [identity], null)
      : await findContactConflict(tx, write.fields, [], write.contactId)
    if (conflict !== null) return { kind: 'failed', reason: crmConflictReason(write, conflict) }
    const contactId = write.kind === 'create' ? u.newId() : write.contactId
    const columns = { ...contactColumns(write.fields), social: tx.json(write.fields.social), issues: tx.json(write.issues), updated_at: u.now }
    if (write.kind === 'create') {
      await tx`insert into contacts ${tx({ id: contactId, ...columns, owner_id: u.ownerId, preference: u.preference, source: 'crm', created_at: u.now })}`
    } else {
      await tx`update contacts set ${tx(columns)} where id = ${contactId}`
    }
    await tx`insert into identities (channel, external_id, contact_id) values (${u.system}, ${u.externalId}, ${contactId}) ${takeOverInactiveIdentity(tx)}`
    const after = await loadContact(tx, contactId)
    const changes = before === null ? creationChanges(after) : contactChanges(before, after)
    if (before === null || Object.keys(changes).length > 0) {
      await recordHistory(tx, [{
        contactId, at: u.now, kind: before === null ? 'created' : 'updated', actorId: null, source: 'crm', changes,
        importId: u.importId ?? null, crm: { system: u.system, recordId: u.externalId },
      }])
    }
    return { kind: write.kind === 'create' ? 'imported' : 'updated', contactId }
  })
  try {
    return await attempt()
  } catch (error) {
    // A contact created at the same moment outside the locks (a manual entry, a file import): read it back and update it.
    if (!isUniqueViolation(error)) throw error
    return attempt()
  }
}

export type CrmRowResult = { row: number; externalId: string; outcome: CrmOutcome; data: string[] }

/** Adds a page of sync results to the import's counts and keeps the failed records with their reasons, together. */
export async function recordCrmPage(sql: Sql, importId: string, results: CrmRowResult[]): Promise<void> {
  const count = (kind: CrmOutcome['kind']) => results.filter((r) => r.outcome.kind === kind).length
  const failures = results.flatMap((r): ListedRow[] => (r.outcome.kind === 'failed' ? [{ row: r.row, kind: 'failed', reason: r.outcome.reason, errors: null, duplicateOf: null, data: r.data }] : []))
  const rows = results.map((r) => r.row)
  await sql.begin(async (tx) => {
    // Counted whatever the import's status: the records are in the book already, each applied on its own. A page a
    // resumed sync had counted before is not counted again.
    const counted = await addImportCounts(tx, importId, { rows: results.length, imported: count('imported'), updated: count('updated'), duplicates: 0, failed: count('failed'), warnings: 0 }, null, { first: Math.min(...rows), last: Math.max(...rows) })
    if (counted !== null) await insertImportRows(tx, importId, failures)
  })
}
