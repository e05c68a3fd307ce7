import { mayChangeContact } from '../../domain/access.ts'
import type { Preference } from '../../domain/contact.ts'
import { getActiveContact } from '../../storage/contacts.ts'
import { writeContactsBatch, type BulkWrite } from '../../storage/contacts-bulk.ts'
import { userExists, type User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { matchingContactIds, type ContactFilters } from './contact-list.ts'
import { editContact, type ContactCommand, type ContactOutcome, type ManualDoor } from './contacts.ts'

const BULK_BATCH = 500

/** An edit by a person: the same as editContact, after the rule of who may change this contact. */
export async function editContactAs(deps: Deps, actor: User, id: string, input: ContactCommand, source: ManualDoor = 'manual'): Promise<ContactOutcome | { ok: false; kind: 'forbidden' }> {
  const current = await getActiveContact(deps.sql, id)
  if (current === null) return { ok: false, kind: 'not_found' }
  if (!mayChangeContact(actor, current.ownerId)) return { ok: false, kind: 'forbidden' }
  if (actor.role !== 'admin' && input.ownerId !== undefined && input.ownerId !== null && input.ownerId !== actor.id) {
    // Handing a contact to someone else is an admin's call: an agent could otherwise take it out of their own reach by mistake.
    return { ok: false, kind: 'forbidden' }
  }
  return editContact(deps, id, input, { source, actorId: actor.id })
}

export async function deleteContactAs(deps: Deps, actor: User, id: string, source: ManualDoor = 'manual'): Promise<'deleted' | 'not_found' | 'forbidden'> {
  const current = await getActiveContact(deps.sql, id)
  if (current === null) return 'not_found'
  if (!mayChangeContact(actor, current.ownerId)) return 'forbidden'
  const changed = await writeContactsBatch(deps.sql, [id], { kind: 'delete' }, null, deps.now(), { source, actorId: actor.id })
  return changed.length === 1 ? 'deleted' : 'not_found'
}

export type BulkTarget = { ids: string[] } | { filters: ContactFilters }
export type BulkChange = { kind: 'owner'; ownerId: string | null } | { kind: 'preference'; preference: Preference } | { kind: 'delete' }
export type BulkOutcome = { ok: true; changed: number; skipped: number } | { ok: false; reason: 'unknown_owner' | 'forbidden' }

/** The target's ids in batches: picked ids as given, or every contact matching the filters (keyset batches). */
export async function* targetIds(deps: Deps, target: BulkTarget): AsyncIterable<string[]> {
  if ('ids' in target) {
    for (let i = 0; i < target.ids.length; i += BULK_BATCH) yield target.ids.slice(i, i + BULK_BATCH)
    return
  }
  yield* matchingContactIds(deps, target.filters, BULK_BATCH)
}

/**
 * Assign an owner, set a preference or delete, for picked rows or for every contact matching a search, in
 * batches. Contacts the actor may not change are skipped and counted, never changed.
 */
export async function bulkChangeContacts(deps: Deps, actor: User, target: BulkTarget, change: BulkChange, source: ManualDoor = 'console'): Promise<BulkOutcome> {
  if (change.kind === 'owner' && change.ownerId !== null) {
    if (!(await userExists(deps.sql, change.ownerId))) return { ok: false, reason: 'unknown_owner' }
    if (actor.role !== 'admin' && change.ownerId !== actor.id) return { ok: false, reason: 'forbidden' }
  }
  const write: BulkWrite = change
  let changed = 0
  let asked = 0
  for await (const ids of targetIds(deps, target)) {
    asked += ids.length
    changed += (await writeContactsBatch(deps.sql, ids, write, actor.role === 'admin' ? null : actor.id, deps.now(), { source, actorId: actor.id })).length
  }
  return { ok: true, changed, skipped: asked - changed }
}
