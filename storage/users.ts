import type { Queryable } from './sql.ts'

export type Role = 'admin' | 'agent'
export type User = { id: string; name: string; role: Role; telegramId: string | null; active: boolean; createdAt: string }

type UserRow = { id: string; name: string; role: Role; telegram_id: string | null; active: boolean; created_at: Date }

function toUser(r: UserRow): User {
  return { id: r.id, name: r.name, role: r.role, telegramId: r.telegram_id, active: r.active, createdAt: r.created_at.toISOString() }
}

export async function findUserByTokenHash(sql: Queryable, tokenHash: Uint8Array): Promise<User | null> {
  const [row] = await sql<UserRow[]>`
    select id, name, role, telegram_id::text, active, created_at from users
    where token_hash = ${Buffer.from(tokenHash)} and active`
  return row === undefined ? null : toUser(row)
}

export async function hasBuiltinAdmin(sql: Queryable): Promise<boolean> {
  const rows = await sql`select 1 from users where builtin`
  return rows.length > 0
}

/**
 * Creates the built-in admin, or points it at a new token hash. Returns false when it already existed and no
 * token was given, so that a generated token is only ever made (and printed) once.
 */
export async function upsertBuiltinAdmin(sql: Queryable, id: string, tokenHash: Uint8Array, replaceToken: boolean): Promise<boolean> {
  const hash = Buffer.from(tokenHash)
  const rows = replaceToken
    ? await sql`
        insert into users (id, name, role, token_hash, builtin) values (${id}, 'Admin', 'admin', ${hash}, true)
        on conflict (builtin) where builtin do update set token_hash = excluded.token_hash, active = true
        returning id`
    : await sql`
        insert into users (id, name, role, token_hash, builtin) values (${id}, 'Admin', 'admin', ${hash}, true)
        on conflict (builtin) where builtin do nothing
        returning id`
  return rows.length === 1
}

export async function listUsers(sql: Queryable): Promise<User[]> {
  const rows = await sql<UserRow[]>`select id, name, role, telegram_id::text, active, created_at from users order by created_at, id`
  return rows.map(toUser)
}

export type NewUser = { id: string; name: string; role: Role; tokenHash: Uint8Array; telegramId: string | null }

export async function insertUser(sql: Queryable, u: NewUser): Promise<{ ok: true; user: User } | { ok: false; conflict: 'telegram_id' }> {
  const rows = await sql<UserRow[]>`
    insert into users (id, name, role, token_hash, telegram_id)
    values (${u.id}, ${u.name}, ${u.role}, ${Buffer.from(u.tokenHash)}, ${u.telegramId})
    on conflict (telegram_id) do nothing
    returning id, name, role, telegram_id::text, active, created_at`
  const [row] = rows
  return row === undefined ? { ok: false, conflict: 'telegram_id' } : { ok: true, user: toUser(row) }
}

export async function userExists(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`select 1 from users where id = ${id} and active`
  return rows.length === 1
}
