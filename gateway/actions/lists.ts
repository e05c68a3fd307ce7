import { reachOf, type Reach } from '../../domain/reach.ts'
import type { MessageKind, SendChannel, TemplateCategory } from '../../domain/preference.ts'
import { isUuid } from '../../domain/ids.ts'
import { writeListBatch } from '../../storage/contacts-bulk.ts'
import {
  addMatchingListMembers, createContactList, deleteContactList, getContactList, listContactLists, listListNames, listsOfContact, reachGroups, updateContactList, type ContactList,
} from '../../storage/lists.ts'
import type { User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { exportContactsCsv, listContacts, toFilter, type ContactFilters, type ContactListPage } from './contact-list.ts'
import type { ManualDoor } from './contacts.ts'
import { AppError, invalidField } from './errors.ts'

export type { ContactList }

const NAME_MAX = 100
const DESCRIPTION_MAX = 1000
const BATCH = 1000

function checkName(raw: string): string {
  const name = raw.trim()
  if (name === '' || name.length > NAME_MAX) throw invalidField('name', `must be 1 to ${NAME_MAX} characters`)
  return name
}

function checkDescription(raw: string): string {
  const description = raw.trim()
  if (description.length > DESCRIPTION_MAX) throw invalidField('description', `is ${description.length} characters long; at most ${DESCRIPTION_MAX} are allowed`)
  return description
}

export function contactLists(deps: Deps): Promise<ContactList[]> {
  return listContactLists(deps.sql)
}

/** Ids and names only (no member counts): cheap enough for every contacts page. */
export function listNames(deps: Deps): Promise<{ id: string; name: string }[]> {
  return listListNames(deps.sql)
}

/** The lists a contact is in, A–Z (a contact's page links them). */
export function listsContaining(deps: Deps, contactId: string): Promise<{ id: string; name: string }[]> {
  return listsOfContact(deps.sql, contactId)
}

export async function contactList(deps: Deps, id: string): Promise<ContactList> {
  const list = isUuid(id) ? await getContactList(deps.sql, id.toLowerCase()) : null
  if (list === null) throw new AppError('not_found', 'No such contact list.')
  return list
}

/** Renaming and deleting a list is for the one who made it and for admins; filling it is for everyone. */
async function listToManage(deps: Deps, actor: User, id: string): Promise<ContactList> {
  const list = await contactList(deps, id)
  if (actor.role !== 'admin' && list.ownerId !== actor.id) throw new AppError('forbidden', 'Only the one who made this list and admins may rename or delete it.')
  return list
}

export async function createListAs(deps: Deps, actor: User, input: { name: string; description?: string | undefined }): Promise<ContactList> {
  return createContactList(deps.sql, { id: deps.newId(), name: checkName(input.name), description: checkDescription(input.description ?? ''), ownerId: actor.id, now: deps.now() })
}

export async function updateListAs(deps: Deps, actor: User, id: string, input: { name?: string | undefined; description?: string | undefined }): Promise<ContactList> {
  const list = await listToManage(deps, actor, id)
  const patch: { name?: string; description?: string } = {}
  if (input.name !== undefined) patch.name = checkName(input.name)
  if (input.description !== undefined) patch.description = checkDescription(input.description)
  await updateContactList(deps.sql, list.id, patch)
  return contactList(deps, list.id)
}

export async function deleteListAs(deps: Deps, actor: User, id: string): Promise<void> {
  const list = await listToManage(deps, actor, id)
  await deleteContactList(deps.sql, list.id)
}

export async function listMembers(deps: Deps, id: string, page: { q?: string | undefined; limit: number; cursor: string | null; direction?: 'next' | 'prev' }): Promise<ContactListPage> {
  const list = await contactList(deps, id)
  return listContacts(deps, { filters: { q: page.q, list: list.id }, sort: 'newest', limit: page.limit, cursor: page.cursor, direction: page.direction ?? 'next' })
}

export type MembersTarget = { contactIds: string[] } | { filter: ContactFilters }

/**
 * Picked contacts, or every contact matching a filter in one set-based statement. An agent adds only the
 * contacts they may change (theirs and the unowned); members already there are not counted twice.
 */
export async function addMembersAs(deps: Deps, actor: User, id: string, target: MembersTarget, source: ManualDoor = 'manual'): Promise<number> {
  const list = await contactList(deps, id)
  const door = { source, actorId: actor.id }
  const onlyFor = actor.role === 'admin' ? null : actor.id
  if ('filter' in target) return addMatchingListMembers(deps.sql, list, await toFilter(deps, target.filter), onlyFor, deps.now(), door)
  let added = 0
  for (let i = 0; i < target.contactIds.length; i += BATCH) {
    const ids = target.contactIds.slice(i, i + BATCH).filter(isUuid).map((x) => x.toLowerCase())
    added += (await writeListBatch(deps.sql, ids, { id: list.id, name: list.name, add: true }, onlyFor, deps.now(), door)).length
  }
  return added
}

export async function removeMembersAs(deps: Deps, actor: User, id: string, contactIds: string[], source: ManualDoor = 'manual'): Promise<number> {
  const list = await contactList(deps, id)
  const onlyFor = actor.role === 'admin' ? null : actor.id
  let removed = 0
  for (let i = 0; i < contactIds.length; i += BATCH) {
    const ids = contactIds.slice(i, i + BATCH).filter(isUuid).map((x) => x.toLowerCase())
    removed += (await writeListBatch(deps.sql, ids, { id: list.id, name: list.name, add: false }, onlyFor, deps.now(), { source, actorId: actor.id })).length
  }
  return removed
}

export type ReachRequest = { channel: SendChannel; kind: MessageKind; category?: TemplateCategory | undefined }

/** Who of the list may get this message now (a broadcast's template is marketing unless said otherwise), and why not the rest. */
export async function listReach(deps: Deps, id: string, request: ReachRequest): Promise<Reach> {
  const list = await contactList(deps, id)
  const now = deps.now()
  const groups = await reachGroups(deps.sql, list.id, request.channel, now)
  return reachOf(groups, { channel: request.channel, kind: request.kind, templateCategory: request.kind === 'template' ? (request.category ?? 'marketing') : undefined }, now)
}

export async function exportListCsv(deps: Deps, id: string): Promise<AsyncIterable<Uint8Array>> {
  const list = await contactList(deps, id)
  return exportContactsCsv(deps, { list: list.id })
}
