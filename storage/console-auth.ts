import type { Queryable, Sql } from './sql.ts'
import { getUser, type User } from './users.ts'

/** What sign-in needs: the user and their stored hash, found by email case-insensitively. */
export async function findSignInByEmail(sql: Queryable, email: string): Promise<{ userId: string; passwordHash: string | null; active: boolean } | null> {
  const [row] = await sql<{ id: string; password_hash: string | null; active: boolean }[]>`
    select id, password_hash, active from users where lower(email) = lower(${email})`
  return row === undefined ? null : { userId: row.id, passwordHash: row.password_hash, active: row.active }
}

export type EmailOutcome = { ok: true } | { ok: false; reason: 'email_taken' }

function isEmailClash(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'constraint_name' in error && error.constraint_name === 'users_email_unique'
}

/** Sets a user's sign-in email and, when given, password hash; an email another user has is refused. */
export async function setSignIn(sql: Queryable, userId: string, change: { email?: string; passwordHash?: string }): Promise<EmailOutcome> {
  const columns: Record<string, string> = {}
  if (change.email !== undefined) columns.email = change.email
  if (change.passwordHash !== undefined) columns.password_hash = change.passwordHash
  if (Object.keys(columns).length === 0) return { ok: true }
  try {
    await sql`update users set ${sql(columns)} where id = ${userId}`
    return { ok: true }
  } catch (error) {
    if (isEmailClash(error)) return { ok: false, reason: 'email_taken' }
    throw error
  }
}

export async function userEmail(sql: Queryable, userId: string): Promise<string | null> {
  const [row] = await sql<{ email: string | null }[]>`select email from users where id = ${userId}`
  return row?.email ?? null
}

export async function builtinAdminSignIn(sql: Queryable): Promise<{ id: string; hasPassword: boolean } | null> {
  const [row] = await sql<{ id: string; has_password: boolean }[]>`select id, password_hash is not null as has_password from users where builtin`
  return row === undefined ? null : { id: row.id, hasPassword: row.has_password }
}

export async function insertSession(sql: Queryable, idHash: Uint8Array, userId: string, now: Date): Promise<void> {
  await sql`insert into console_sessions (id_hash, user_id, created_at, last_seen_at) values (${Buffer.from(idHash)}, ${userId}, ${now}, ${now})`
}

/**
 * The session's user while it is alive: seen within `idleMs` and younger than `maxAgeMs`, its user active.
 * Being seen moves the idle clock, written at most once a minute so that page views do not each cost a write.
 */
export async function touchSession(sql: Sql, idHash: Uint8Array, now: Date, idleMs: number, maxAgeMs: number): Promise<User | null> {
  const hash = Buffer.from(idHash)
  const [row] = await sql<{ user_id: string }[]>`
    update console_sessions s set last_seen_at = case when s.last_seen_at < ${new Date(now.getTime() - 60_000)} then ${now} else s.last_seen_at end
    from users u
    where s.id_hash = ${hash} and u.id = s.user_id and u.active
      and s.last_seen_at > ${new Date(now.getTime() - idleMs)} and s.created_at > ${new Date(now.getTime() - maxAgeMs)}
    returning s.user_id`
  if (row === undefined) {
    await sql`delete from console_sessions where id_hash = ${hash}`
    return null
  }
  return getUser(sql, row.user_id)
}

export async function deleteSession(sql: Queryable, idHash: Uint8Array): Promise<void> {
  await sql`delete from console_sessions where id_hash = ${Buffer.from(idHash)}`
}

export async function deleteUserSessions(sql: Queryable, userId: string): Promise<void> {
  await sql`delete from console_sessions where user_id = ${userId}`
}

/** A new link replaces the user's unused ones: only the latest link handed over works. */
export async function insertPasswordLink(sql: Sql, codeHash: Uint8Array, userId: string, now: Date, expiresAt: Date): Promise<void> {
  await sql.begin(async (tx) => {
    await tx`delete from password_links where user_id = ${userId} and used_at is null`
    await tx`insert into password_links (code_hash, user_id, created_at, expires_at) values (${Buffer.from(codeHash)}, ${userId}, ${now}, ${expiresAt})`
  })
}

/** The user a live, unused link belongs to, without using it up (to show the form). */
export async function peekPasswordLink(sql: Queryable, codeHash: Uint8Array, now: Date): Promise<string | null> {
  const [row] = await sql<{ user_id: string }[]>`
    select l.user_id from password_links l join users u on u.id = l.user_id
    where l.code_hash = ${Buffer.from(codeHash)} and l.used_at is null and l.expires_at > ${now} and u.active`
  return row?.user_id ?? null
}

/**
 * Uses a link up and sets what the person chose, in one transaction: of two requests racing with the same code
 * only one succeeds, and an email someone else has leaves the link usable.
 */
export async function redeemPasswordLink(sql: Sql, codeHash: Uint8Array, now: Date, change: { email?: string; passwordHash: string }): Promise<{ ok: true; userId: string } | { ok: false; reason: 'expired' | 'email_taken' }> {
  try {
    return await sql.begin(async (tx) => {
      const [row] = await tx<{ user_id: string }[]>`
        update password_links set used_at = ${now}
        where code_hash = ${Buffer.from(codeHash)} and used_at is null and expires_at > ${now}
        returning user_id`
      if (row === undefined) return { ok: false, reason: 'expired' } as const
      const columns: Record<string, string> = { password_hash: change.passwordHash }
      if (change.email !== undefined) columns.email = change.email
      await tx`update users set ${tx(columns)} where id = ${row.user_id}`
      return { ok: true, userId: row.user_id } as const
    })
  } catch (error) {
    if (isEmailClash(error)) return { ok: false, reason: 'email_taken' }
    throw error
  }
}
