import type {
  Address,
  Channel,
  Contact,
  ContactFields,
  ContactIssue,
  ContactSource,
  CountrySource,
  Identity,
  Preference,
  Social,
} from '../domain/contact.ts'
import { dedupKeys } from '../domain/dedup.ts'
import { contactChanges, creationChanges, type Door } from '../domain/history.ts'
import { recordHistory } from './history.ts'
import type { Fragment, Queryable, Sql, Tx } from './sql.ts'
import type { CustomValues } from '../domain/custom-fields.ts'

export type ContactRow = {
  id: string
  name: string | null
  mobile: string | null
  email: string | null
  date_of_birth: string | null
  company: string | null
  street: string | null
  city: string | null
  state: string | null
  zip: string | null
  country: string | null
  country_source: CountrySource | null
  social: Social
  other_mobiles: string[]
  other_emails: string[]
  owner_id: string | null
  preference: Preference
  source: ContactSource
  issues: ContactIssue[]
  active: boolean
  created_at: Date
  updated_at: Date
  identities: Identity[]
  labels: string[]
  fields: CustomValues
}

export function toContact(r: ContactRow): Contact {
  const address: Address = {}
  for (const part of ['street', 'city', 'state', 'zip', 'country'] as const) {
    const v = r[part]
    if (v !== null) address[part] = v
  }
  return {
    id: r.id,
    name: r.name,
    mobile: r.mobile,
    email: r.email,
    dateOfBirth: r.date_of_birth,
    company: r.company,
    address,
    social: r.social,
    otherMobiles: r.other_mobiles,
    otherEmails: r.other_emails,
    countrySource: r.country_source,
    ownerId: r.owner_id,
    preference: r.preference,
    identities: r.identities,
    labels: r.labels,
    fields: r.fields,
    source: r.source,
    issues: r.issues,
    active: r.active,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }
}

export function contactColumns(f: ContactFields) {
  return {
    name: f.name,
    mobile: f.mobile,
    email: f.email,
    date_of_birth: f.dateOfBirth,
    company: f.company,
    street: f.address.street ?? null,
    city: f.address.city ?? null,
    state: f.address.state ?? null,
    zip: f.address.zip ?? null,
    country: f.address.country ?? null,
    country_source: f.countrySource,
    other_mobiles: f.otherMobiles,
    other_emails: f.otherEmails.map((e) => e.toLowerCase()),
  }
}

/** Every column of a contact as ContactRow, `from contacts c`: add the where clause. */
export function selectContacts(sql: Queryable) {
  return sql`
    select c.id, c.name, c.mobile, c.email, c.date_of_birth::text as date_of_birth, c.company,
           c.street, c.city, c.state, c.zip, c.country, c.country_source, c.social, c.other_mobiles, c.other_emails,
           c.owner_id, c.preference, c.source, c.issues, c.active, c.created_at, c.updated_at,
           coalesce((select json_agg(json_build_object('channel', i.channel, 'externalId', i.external_id) order by i.created_at)
                     from identities i where i.contact_id = c.id), '[]') as identities,
           ${labelNames(sql, sql`c.label_ids`)} as labels, c.fields
    from contacts c`
}

/** The names of these label ids, A–Z, as a text[] expression. */
export function labelNames(sql: Queryable, ids: Fragment) {
  return sql`(case when ${ids} = '{}' then '{}'::text[] else array(select l.name from labels l where l.id = any(${ids}) order by l.name_key) end)`
}

export type ContactConflict = { existingId: string; field: 'mobile' | 'email' | 'identity' }

/** The first active contact (other than `exceptId`) that already holds one of these mobiles, emails or identities. */
export async function findContactConflict(
  sql: Queryable,
  fields: Pick<ContactFields, 'mobile' | 'email' | 'otherMobiles' | 'otherEmails'>,
  identities: Identity[],
  exceptId: string | null,
): Promise<ContactConflict | null> {
  const keys = dedupKeys(fields, identities)
  const except = exceptId ?? '00000000-0000-0000-0000-000000000000'
  if (keys.mobiles.length > 0) {
    const [hit] = await sql<{ id: string }[]>`
      select id from contacts
      where active and id <> ${except} and (mobile = any(${keys.mobiles}) or (other_mobiles <> '{}' and other_mobiles && ${keys.mobiles}::text[]))
      limit 1`
    if (hit !== undefined) return { existingId: hit.id, field: 'mobile' }
  }
  if (keys.emails.length > 0) {
    const [hit] = await sql<{ id: string }[]>`
      select id from contacts
      where active and id <> ${except} and (lower(email) = any(${keys.emails}) or (other_emails <> '{}' and other_emails && ${keys.emails}::text[]))
      limit 1`
    if (hit !== undefined) return { existingId: hit.id, field: 'email' }
  }
  for (const identity of identities) {
    const [hit] = await sql<{ contact_id: string }[]>`
      select contact_id from identities where channel = ${identity.channel} and external_id = ${identity.externalId}
        and contact_id <> ${except}`
    if (hit !== undefined) return { existingId: hit.contact_id, field: 'identity' }
  }
  return null
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === '23505'
}

export type NewContact = {
  id: string
  fields: ContactFields
  ownerId: string | null
  preference: Preference
  source: ContactSource
  issues: ContactIssue[]
  identities: Identity[]
  labelIds?: string[]
  customFields?: CustomValues
  now: Date
  /** Written to the contact's history as its creation; left out where the row itself tells (imports, messages). */
  door?: Door
}

export type SaveResult = { ok: true; contact: Contact } | { ok: false; conflict: ContactConflict }

/**
 * Inserts a contact unless one of its mobiles, emails or identities already belongs to an active contact.
 * The unique indexes settle races: the loser of a concurrent insert reads the winner back as the conflict.
 */
export async function insertContact(sql: Sql, c: NewContact): Promise<SaveResult> {
  try {
    return await sql.begin(async (tx) => {
      const conflict = await findContactConflict(tx, c.fields, c.identities, null)
      if (conflict !== null) return { ok: false, conflict }
      await tx`insert into contacts ${tx({
        id: c.id, ...contactColumns(c.fields), social: tx.json(c.fields.social), owner_id: c.ownerId,
        preference: c.preference, source: c.source, issues: tx.json(c.issues), created_at: c.now, updated_at: c.now,
        label_ids: c.labelIds ?? [], fields: tx.json(c.customFields ?? {}),
      })}`
      for (const identity of c.identities) {
        await tx`insert into identities (channel, external_id, contact_id) values (${identity.channel}, ${identity.externalId}, ${c.id})`
      }
      const contact = await loadContact(tx, c.id)
      if (c.door !== undefined) await recordHistory(tx, [{ contactId: c.id, at: c.now, kind: 'created', ...c.door, changes: creationChanges(contact) }])
      return { ok: true, contact }
    })
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    const conflict = await findContactConflict(sql, c.fields, c.identities, null)
    if (conflict === null) throw error
    return { ok: false, conflict }
  }
}

/** The fields of these active contacts, locked until the transaction ends. */
export async function lockContactFields(tx: Tx, ids: string[]): Promise<Map<string, ContactFields>> {
  const rows = await tx<ContactRow[]>`${selectContacts(tx)} where c.id = any(${ids}::uuid[]) and c.active for update of c`
  return new Map(rows.map((r) => {
    const { id, ownerId: _o, preference: _p, identities: _i, source: _s, issues: _is, active: _a, createdAt: _c, updatedAt: _u, ...fields } = toContact(r)
    return [id, fields]
  }))
}

export async function loadContact(sql: Queryable, id: string): Promise<Contact> {
  const [row] = await sql<ContactRow[]>`${selectContacts(sql)} where c.id = ${id}`
  if (row === undefined) throw new Error(`contact ${id} vanished inside its own transaction`)
  return toContact(row)
}

/** These contacts, active or not, locked until the transaction ends. */
export async function lockContacts(tx: Tx, ids: readonly string[]): Promise<Contact[]> {
  const rows = await tx<ContactRow[]>`${selectContacts(tx)} where c.id = any(${ids as string[]}::uuid[]) order by c.id for update of c`
  return rows.map(toContact)
}

/** The contact a merged-away contact was folded into (following later merges), or null. */
export async function mergedInto(sql: Queryable, id: string): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`
    with recursive chain as (
      select merged_into as id, 1 as depth from contacts where id = ${id} and not active and merged_into is not null
      union all
      select c.merged_into, chain.depth + 1 from chain join contacts c on c.id = chain.id
      where not c.active and c.merged_into is not null and chain.depth < 50
    )
    select id from chain order by depth desc limit 1`
  return row?.id ?? null
}

/** These contacts, where active, in one query. */
export async function getActiveContacts(sql: Queryable, ids: readonly string[]): Promise<Map<string, Contact>> {
  const rows = await sql<ContactRow[]>`${selectContacts(sql)} where c.id = any(${ids as string[]}::uuid[]) and c.active`
  return new Map(rows.map((r) => [r.id, toContact(r)]))
}

export async function getActiveContact(sql: Queryable, id: string): Promise<Contact | null> {
  const [row] = await sql<ContactRow[]>`${selectContacts(sql)} where c.id = ${id} and c.active`
  return row === undefined ? null : toContact(row)
}

/** Labels (replaced as a set) and custom values (the whole object), when a change sets them. */
export type OrganizingWrite = { labelIds?: string[]; customFields?: CustomValues }

export type UpdateOutcome<E> = SaveResult | { ok: false; notFound: true } | { ok: false; rejected: E }

/**
 * Read-modify-write under a row lock: `change` sees the current contact and returns the new fields (or a
 * rejection), and the write happens only if no other active contact holds the new keys.
 */
export async function updateContactFields<E>(
  sql: Sql,
  id: string,
  now: Date,
  change: (current: Contact) => ({ ok: true; fields: ContactFields; preference: Preference; ownerId: string | null } & OrganizingWrite) | { ok: false; rejected: E },
  door?: Door,
): Promise<UpdateOutcome<E>> {
  const attempt = () =>
    sql.begin(async (tx): Promise<UpdateOutcome<E>> => {
      const [locked] = await tx`select id from contacts where id = ${id} and active for update`
      if (locked === undefined) return { ok: false, notFound: true }
      const current = await loadContact(tx, id)
      const next = change(current)
      if (!next.ok) return next
      const conflict = await findContactConflict(tx, next.fields, [], id)
      if (conflict !== null) return { ok: false, conflict }
      await tx`update contacts set ${tx({
        ...contactColumns(next.fields), social: tx.json(next.fields.social), preference: next.preference, owner_id: next.ownerId, updated_at: now,
        ...(next.labelIds === undefined ? {} : { label_ids: next.labelIds }),
        ...(next.customFields === undefined ? {} : { fields: tx.json(next.customFields) }),
      })}
               where id = ${id}`
      const updated = await loadContact(tx, id)
      const changes = contactChanges(current, updated)
      if (door !== undefined && Object.keys(changes).length > 0) await recordHistory(tx, [{ contactId: id, at: now, kind: 'updated', ...door, changes }])
      return { ok: true, contact: updated }
    })
  try {
    return await attempt()
  } catch (error) {
    if (!isUniqueViolation(error)) throw error
    return attempt()
  }
}

/** Deleting keeps the row for history and merges, but frees its mobile and email for other contacts. */
export async function deactivateContact(sql: Queryable, id: string, now: Date): Promise<boolean> {
  const rows = await sql`update contacts set active = false, updated_at = ${now} where id = ${id} and active returning id`
  return rows.length === 1
}
