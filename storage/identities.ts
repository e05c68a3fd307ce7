import type { Fragment, Queryable } from './sql.ts'

/**
 * The conflict clause for inserting a channel identity: an id held by an active contact stays where it is; one held
 * by a deleted contact moves to the contact being written, so that a person whose contact was deleted gets one new
 * contact when they write again, not a new one per message.
 */
export function takeOverInactiveIdentity(sql: Queryable): Fragment {
  return sql`on conflict (channel, external_id) do update set contact_id = excluded.contact_id
             where not exists (select 1 from contacts held where held.id = identities.contact_id and held.active)`
}
