import { EMPTY_CONTACT_FIELDS, type ContactFields, type ContactIssue, type Preference } from '../domain/contact.ts'
import { applyContactPatch } from '../domain/contact-fields.ts'
import type { CrmSystem } from '../domain/crm.ts'
import type { ContactPatch } from '../domain/validate.ts'
import { contactColumns, findContactConflict, isUniqueViolation, loadContact } from './contacts.ts'
import { takeOverInactiveIdentity } from './identities.ts'
import { lockKeys } from './key-locks.ts'
import { contactKeys, idKey } from '../domain/person-keys.ts'
import type { Queryable, Sql } from './sql.ts'

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
}

export type CrmOutcome = { kind: 'imported' | 'updated'; contactId: string } | { kind: 'failed'; reason: string }

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])]
}

/**
 * One CRM record into the book: the contact linked to this CRM id, or else the one with its mobile or email, takes
 * the values the CRM has (the CRM is where these fields are kept; other mobiles and emails are added, never
 * dropped); otherwise a new contact is created with the CRM id as its identity. Serialized per CRM id, mobile and
 * email by advisory locks (the same keys inbound messages take), so a push and a sync of one record, or a message
 * from the same number, never make twins.
 */
export async function applyCrmRecord(sql: Sql, u: CrmUpsert): Promise<CrmOutcome> {
  const attempt = () => sql.begin(async (tx): Promise<CrmOutcome> => {
    const incoming = applyContactPatch(EMPTY_CONTACT_FIELDS, u.patch)
    await lockKeys(tx, [idKey(u.system, u.externalId), ...contactKeys([incoming.mobile, ...incoming.otherMobiles], [incoming.email, ...incoming.otherEmails])])
    const [linked] = await tx<{ id: string }[]>`
      select c.id from identities i join contacts c on c.id = i.contact_id and c.active where i.channel = ${u.system} and i.external_id = ${u.externalId}`
    const matched = linked?.id ?? (await findContactConflict(tx, incoming, [], null))?.existingId ?? null

    if (matched === null) {
      const conflict = await findContactConflict(tx, incoming, [{ channel: u.system, externalId: u.externalId }], null)
      if (conflict !== null) return { kind: 'failed', reason: `its ${conflict.field} belongs to contact ${conflict.existingId}` }
      const id = u.newId()
      await tx`insert into contacts ${tx({
        id, ...contactColumns(incoming), social: tx.json(incoming.social), owner_id: u.ownerId, preference: u.preference, source: 'crm',
        issues: tx.json(u.issues), created_at: u.now, updated_at: u.now,
      })}`
      await tx`insert into identities (channel, external_id, contact_id) values (${u.system}, ${u.externalId}, ${id}) ${takeOverInactiveIdentity(tx)}`
      return { kind: 'imported', contactId: id }
    }

    const current = await loadContact(tx, matched)
    const base: ContactFields = { ...current }
    const next = applyContactPatch(base, { ...u.patch, otherMobiles: union(current.otherMobiles, incoming.otherMobiles), otherEmails: union(current.otherEmails, incoming.otherEmails) })
    if (current.mobile !== null && incoming.mobile !== null && current.mobile !== incoming.mobile) next.otherMobiles = union(next.otherMobiles, [current.mobile])
    next.otherMobiles = next.otherMobiles.filter((m) => m !== next.mobile)
    const conflict = await findContactConflict(tx, next, [], matched)
    if (conflict !== null) return { kind: 'failed', reason: `its ${conflict.field} belongs to contact ${conflict.existingId}, not to the contact it updates (${matched})` }
    const issues = u.phoneGiven ? [...current.issues.filter((i) => i.code !== 'missing_country_code'), ...u.issues] : current.issues
    await tx`update contacts set ${tx({ ...contactColumns(next), social: tx.json(next.social), issues: tx.json(issues), updated_at: u.now })} where id = ${matched}`
    await tx`insert into identities (channel, external_id, contact_id) values (${u.system}, ${u.externalId}, ${matched}) ${takeOverInactiveIdentity(tx)}`
    return { kind: 'updated', contactId: matched }
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

/** Adds a page of sync results to the import's counts and keeps the failed records with their reasons. */
export async function recordCrmPage(sql: Queryable, importId: string, results: CrmRowResult[]): Promise<void> {
  const count = (kind: CrmOutcome['kind']) => results.filter((r) => r.outcome.kind === kind).length
  const failures = results.flatMap((r) => (r.outcome.kind === 'failed' ? [{ ...r, reason: r.outcome.reason }] : []))
  await sql`
    update imports set total_rows = total_rows + ${results.length}, imported = imported + ${count('imported')},
                       updated = updated + ${count('updated')}, failed = failed + ${count('failed')}
    where id = ${importId}`
  if (failures.length === 0) return
  await sql`
    insert into import_rows (import_id, row_number, kind, reason, errors, duplicate_of, data)
    select ${importId}::uuid, t.row_number, 'failed', t.reason, null, null, t.data::jsonb
    from unnest(${failures.map((f) => f.row)}::int[], ${failures.map((f) => f.reason)}::text[], ${failures.map((f) => JSON.stringify(f.data))}::text[])
      as t(row_number, reason, data)
    on conflict do nothing`
}
