import type { Preference } from '../../domain/contact.ts'
import { checkLabelNames } from '../../domain/labels.ts'
import { writeContactsBatch, writeLabelsBatch, writeListBatch } from '../../storage/contacts-bulk.ts'
import { labelIdsOf } from '../../storage/labels.ts'
import { userExists, type User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { targetIds, type BulkTarget } from './contact-changes.ts'
import type { ManualDoor } from './contacts.ts'
import { labelIdsFor } from './contact-organizing.ts'
import { AppError, invalidField } from './errors.ts'
import { contactList } from './lists.ts'

/** One change to many contacts: any of these together (a delete goes last). */
export type BulkEdits = {
  ownerId?: string | null | undefined
  preference?: Preference | undefined
  addLabels?: string[] | undefined
  removeLabels?: string[] | undefined
  addToList?: string | undefined
  removeFromList?: string | undefined
  delete?: boolean | undefined
}

function names(field: string, raw: string[] | undefined): string[] {
  if (raw === undefined) return []
  const checked = checkLabelNames(raw)
  if (!checked.ok) throw invalidField(`${field}[${checked.index}]`, checked.message)
  return checked.names
}

/**
 * Picked contacts or every contact matching a filter, in batches, each change in each contact's history.
 * Agents change only the contacts they may change (theirs and the unowned): the rest is counted as matched,
 * not changed. `changed` counts contacts that something actually changed on.
 */
export async function bulkEditContacts(deps: Deps, actor: User, target: BulkTarget, edits: BulkEdits, source: ManualDoor = 'manual'): Promise<{ matched: number; changed: number }> {
  if (edits.ownerId !== undefined && edits.ownerId !== null) {
    if (!(await userExists(deps.sql, edits.ownerId))) throw invalidField('ownerId', `no active user has id ${edits.ownerId}`)
    if (actor.role !== 'admin' && edits.ownerId !== actor.id) throw new AppError('forbidden', 'Handing contacts to someone else is for admins.')
  }
  const add = names('addLabels', edits.addLabels)
  const removeNames = names('removeLabels', edits.removeLabels)
  const addIds = add.length === 0 ? [] : await labelIdsFor(deps, add)
  const removeIds = removeNames.length === 0 ? [] : (await labelIdsOf(deps.sql, removeNames)).ids
  const toList = edits.addToList === undefined ? null : await contactList(deps, edits.addToList)
  const fromList = edits.removeFromList === undefined ? null : await contactList(deps, edits.removeFromList)
  const onlyFor = actor.role === 'admin' ? null : actor.id
  const door = { source, actorId: actor.id }
  let matched = 0
  const changed = new Set<string>()
  const note = (ids: string[]) => { for (const id of ids) changed.add(id) }
  for await (const ids of targetIds(deps, target)) {
    matched += ids.length
    const now = deps.now()
    if (edits.ownerId !== undefined) note(await writeContactsBatch(deps.sql, ids, { kind: 'owner', ownerId: edits.ownerId }, onlyFor, now, door))
    if (edits.preference !== undefined) note(await writeContactsBatch(deps.sql, ids, { kind: 'preference', preference: edits.preference }, onlyFor, now, door))
    if (addIds.length > 0 || removeIds.length > 0) note(await writeLabelsBatch(deps.sql, ids, { add: addIds, remove: removeIds }, onlyFor, now, door))
    if (toList !== null) note(await writeListBatch(deps.sql, ids, { id: toList.id, name: toList.name, add: true }, onlyFor, now, door))
    if (fromList !== null) note(await writeListBatch(deps.sql, ids, { id: fromList.id, name: fromList.name, add: false }, onlyFor, now, door))
    if (edits.delete === true) note(await writeContactsBatch(deps.sql, ids, { kind: 'delete' }, onlyFor, now, door))
  }
  return { matched, changed: changed.size }
}
