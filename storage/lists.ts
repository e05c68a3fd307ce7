import type { SendChannel } from '../domain/preference.ts'
import { WINDOW_BOUNDS, type ReachGroup } from '../domain/reach.ts'
import { matchingContacts, type ContactFilter } from './contact-list.ts'
import type { Queryable } from './sql.ts'
import type { Door } from '../domain/history.ts'

export type ContactList = { id: string; name: string; description: string; members: number; ownerId: string | null; createdAt: string }
type ListRow = { id: string; name: string; description: string; members: number; owner_id: string | null; created_at: Date }

function toList(r: ListRow): ContactList {
  return { id: r.id, name: r.name, description: r.description, members: r.members, ownerId: r.owner_id, createdAt: r.created_at.toISOString() }
}

/** Members counted as the list's entries less its inactive ones (migration 078 says why). */
const LIST_COLUMNS = (sql: Queryable) => sql`
  l.id, l.name, l.description, l.owner_id, l.created_at,
  (select count(*)::int from list_members m where m.list_id = l.id)
    - (select count(*)::int from list_members m join contacts c on c.id = m.contact_id where m.list_id = l.id and not c.active) as members`

export async function listContactLists(sql: Queryable): Promise<ContactList[]> {
  const rows = await sql<ListRow[]>`select ${LIST_COLUMNS(sql)} from contact_lists l order by lower(l.name), l.id`
  return rows.map(toList)
}

/** Every list's id and name A–Z, without counting members: what a select of lists needs. */
export async function listListNames(sql: Queryable): Promise<{ id: string; name: string }[]> {
  return sql<{ id: string; name: string }[]>`select id, name from contact_lists order by lower(name), id`
}

export async function getContactList(sql: Queryable, id: string): Promise<ContactList | null> {
  const [row] = await sql<ListRow[]>`select ${LIST_COLUMNS(sql)} from contact_lists l where l.id = ${id}`
  return row === undefined ? null : toList(row)
}

/** Whether a list exists, without counting its members (a filter or an import option only needs to know). */
export async function contactListExists(sql: Queryable, id: string): Promise<boolean> {
  const [row] = await sql<{ id: string }[]>`select id from contact_lists where id = ${id}`
  return row !== undefined
}

/** The lists these contacts are in, A–Z. */
export async function listsOfContact(sql: Queryable, contactId: string): Promise<{ id: string; name: string }[]> {
  return sql<{ id: string; name: string }[]>`
    select l.id, l.name from list_members m join contact_lists l on l.id = m.list_id where m.contact_id = ${contactId} order by lower(l.name)`
}

export async function createContactList(sql: Queryable, l: { id: string; name: string; description: string; ownerId: string; now: Date }): Promise<ContactList> {
  await sql`insert into contact_lists (id, name, description, owner_id, created_at) values (${l.id}, ${l.name}, ${l.description}, ${l.ownerId}, ${l.now})`
  return { id: l.id, name: l.name, description: l.description, members: 0, ownerId: l.ownerId, createdAt: l.now.toISOString() }
}

export async function updateContactList(sql: Queryable, id: string, patch: { name?: string; description?: string }): Promise<boolean> {
  const rows = await sql`update contact_lists set name = coalesce(${patch.name ?? null}, name), description = coalesce(${patch.description ?? null}, description)
                         where id = ${id} returning id`
  return rows.length === 1
}

export async function deleteContactList(sql: Queryable, id: string): Promise<boolean> {
  return (await sql`delete from contact_lists where id = ${id} returning id`).length === 1
}

/**
 * Adds every active contact matching the filter in one statement, with their history entries: set-based, so
 * that a 100,000-member add is one insert … select rather than 100,000 round trips. `onlyFor` limits it to the
 * contacts an agent may change.
 */
export async function addMatchingListMembers(sql: Queryable, list: { id: string; name: string }, filter: ContactFilter, onlyFor: string | null, now: Date, door: Door): Promise<number> {
  const scope = onlyFor === null ? sql`` : sql`and (c.owner_id is null or c.owner_id = ${onlyFor})`
  const [row] = await sql<{ n: number }[]>`
    with added as (
      insert into list_members (list_id, contact_id, added_at)
      select ${list.id}, c.id, ${now} from ${matchingContacts(sql, filter)} c where true ${scope}
      on conflict do nothing returning contact_id),
    noted as (
      insert into contact_history (contact_id, at, kind, actor_id, source, changes)
      select contact_id, ${now}, 'updated', ${door.actorId}, ${door.source}, ${sql.json({ list: { from: null, to: list.name } })} from added)
    select count(*)::int as n from added`
  return row?.n ?? 0
}

export async function removeListMembers(sql: Queryable, listId: string, ids: readonly string[]): Promise<number> {
  const rows = await sql`delete from list_members where list_id = ${listId} and contact_id = any(${ids as string[]}::uuid[]) returning contact_id`
  return rows.length
}

/**
 * The members grouped by everything the send rule reads about them, in one query over the whole list (no
 * check per member): the domain's reachOf applies the rule to each group.
 */
export async function reachGroups(sql: Queryable, listId: string, channel: SendChannel, now: Date): Promise<ReachGroup[]> {
  const serviceSince = new Date(now.getTime() - WINDOW_BOUNDS.service)
  const humanSince = new Date(now.getTime() - WINDOW_BOUNDS.humanAgent)
  return sql<ReachGroup[]>`
    select c.preference, c.mobile is not null as "hasMobile",
           (c.issues <> '[]' and c.issues @> '[{"code": "missing_country_code"}]') as "missingCountryCode",
           c.marketing_opt_out as "marketingOptOut",
           c.channels @> ${[channel]}::text[] as "hasIdentity",
           case when w.last_inbound_at > ${serviceSince} then 'service' when w.last_inbound_at > ${humanSince} then 'human_agent' else 'closed' end as window,
           count(*)::int as count
    from list_members m
    join contacts c on c.id = m.contact_id and c.active
    left join contact_channels w on w.contact_id = c.id and w.channel = ${channel}
    where m.list_id = ${listId}
    group by 1, 2, 3, 4, 5, 6`
}
