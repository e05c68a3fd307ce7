import { EMPTY_CONTACT_FIELDS, type ContactFields, type ContactIssue } from './contact.ts'
import { applyContactPatch } from './contact-fields.ts'
import type { CrmSystem } from './crm.ts'
import { contactKeys, idKey, type PersonKey } from './person-keys.ts'
import type { ContactPatch } from './validate.ts'

/** A CRM record as read (domain/crm.ts readCrmRecord): the fields it sets and the issues it raises. */
export type CrmRecordFields = { patch: ContactPatch; issues: ContactIssue[]; /** Only a record with a phone decides missing_country_code. */ phoneGiven: boolean }

/** The contact a record was matched to, as it is now. */
export type MatchedContact = ContactFields & { id: string; issues: ContactIssue[] }

/** What applying a record writes: a new contact, or the matched one with these fields and issues. */
export type CrmWrite =
  | { kind: 'create'; fields: ContactFields; issues: ContactIssue[] }
  | { kind: 'update'; contactId: string; fields: ContactFields; issues: ContactIssue[] }

/** The record's own fields, as a contact of nothing but them. */
export function crmIncoming(patch: ContactPatch): ContactFields {
  return applyContactPatch(EMPTY_CONTACT_FIELDS, patch)
}

/** The per-person keys applying a record holds: its CRM id and every mobile and email it carries. */
export function crmRecordKeys(system: CrmSystem, externalId: string, incoming: ContactFields): PersonKey[] {
  return [idKey(system, externalId), ...contactKeys([incoming.mobile, ...incoming.otherMobiles], [incoming.email, ...incoming.otherEmails])]
}

/** The contact linked to the record's CRM id wins; else the active contact holding its mobile (then its email). */
export function chooseCrmContact(linkedId: string | null, keyHolderId: string | null): string | null {
  return linkedId ?? keyHolderId
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])]
}

/**
 * A record onto its contact. The CRM is where these fields are kept, so every value it has replaces ours; other
 * mobiles and emails are added, never dropped, and a mobile the CRM replaces becomes another mobile. The primary
 * email the CRM replaces is not kept. The record's issues replace the contact's missing_country_code only when
 * the record had a phone to judge; other issues stay.
 */
export function planCrmRecord(record: CrmRecordFields, matched: MatchedContact | null): CrmWrite {
  const incoming = crmIncoming(record.patch)
  if (matched === null) return { kind: 'create', fields: incoming, issues: record.issues }
  const { id, issues: currentIssues, ...current } = matched
  const next = applyContactPatch(current, {
    ...record.patch,
    otherMobiles: union(current.otherMobiles, incoming.otherMobiles),
    otherEmails: union(current.otherEmails, incoming.otherEmails),
  })
  if (current.mobile !== null && incoming.mobile !== null && current.mobile !== incoming.mobile) next.otherMobiles = union(next.otherMobiles, [current.mobile])
  next.otherMobiles = next.otherMobiles.filter((m) => m !== next.mobile)
  const issues = record.phoneGiven ? [...currentIssues.filter((i) => i.code !== 'missing_country_code'), ...record.issues] : currentIssues
  return { kind: 'update', contactId: id, fields: next, issues }
}

/** Why a record's write was refused: a mobile, email or identity of it is another contact's. */
export function crmConflictReason(write: CrmWrite, conflict: { field: 'mobile' | 'email' | 'identity'; existingId: string }): string {
  const base = `its ${conflict.field} belongs to contact ${conflict.existingId}`
  return write.kind === 'create' ? base : `${base}, not to the contact it updates (${write.contactId})`
}
