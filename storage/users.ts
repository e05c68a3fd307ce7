import type { Queryable, Sql, Tx } from './sql.ts'

export type Role = 'admin' | 'agent'
export type InboxRef = { channel: 'whatsapp' | 'instagram' | 'messenger'; accountId: string }
export type User = { id: string; name: string; email: string | null; role: Role; telegramId: string | null; active: boolean; inboxes: InboxRef[]; createdAt: string }

type UserRow = { id: string; name: string; email: string | null; role: Role; telegram_id: string | null; active: boolean; created_at: Date; inboxes: InboxRef[] }

function toUser(r: UserRow): User {
  return { id: r.id, name: r.name, email: r.email, role: r.role, telegramId: r.telegram_id, active: r.active, inboxes: r.inboxes, createdAt: r.created_at.toISOString() }
}

const INBOXES = (sql: Queryable) => sql`
  coalesce((select json_agg(json_build_object('channel', m.channel, 'accountId', m.account_id) order by m.channel, m.account_id)
            from inbox_members m where m.user_id = users.id), '[]') as inboxes`

export async function findUserByTokenHash(sql: Queryable, tokenHash: Uint8Array): Promise<User | null> {
  const [row] = await sql<UserRow[]>`
    select id, name, email, role, telegram_id::text, active, created_at, '[]'::json as inboxes from users
    where token_hash = ${Buffer.from(tokenHash)} and active`
  return row === undefined ? null : toUser(row)
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
  const rows = await sql<UserRow[]>`select id, name, email, role, telegram_id::text, active, created_at, ${INBOXES(sql)} from users order by created_at, id`
  return rows.map(toUser)
}

export type NewUser = { id: string; name: string; email: string | null; role: Role; tokenHash: Uint8Array; telegramId: string | null; inboxes: InboxRef[] }

/** Which unique column a new or changed user clashed on. */
export type UserConflict = 'telegram_id' | 'email'

function conflictOf(error: unknown): UserConflict | null {
  if (typeof error !== 'object' || error === null || !('code' in error) || error.code !== '23505') return null
  return 'constraint_name' in error && error.constraint_name === 'users_email_unique' ? 'email' : 'telegram_id'
}

async function setInboxes(tx: Tx, userId: string, inboxes: InboxRef[]): Promise<void> {
  await tx`delete from inbox_members where user_id = ${userId}`
  for (const inbox of inboxes) {
    await tx`insert into inboxes (channel, account_id) values (${inbox.channel}, ${inbox.accountId}) on conflict do nothing`
    await tx`insert into inbox_members (channel, account_id, user_id) values (${inbox.channel}, ${inbox.accountId}, ${userId}) on conflict do nothing`
  }
}

export async function getUser(sql: Queryable, id: string): Promise<User | null> {
  const [row] = await sql<UserRow[]>`select id, name, email, role, telegram_id::text, active, created_at, ${INBOXES(sql)} from users where id = ${id}`
  return row === undefined ? null : toUser(row)
}

export async function insertUser(sql: Sql, u: NewUser): Promise<{ ok: true; user: User } | { ok: false; conflict: UserConflict }> {
  try {
    return await sql.begin(async (tx) => {
      await tx`
        insert into users (id, name, email, role, token_hash, telegram_id)
        values (${u.id}, ${u.name}, ${u.email}, ${u.role}, ${Buffer.from(u.tokenHash)}, ${u.telegramId})`
      await setInboxes(tx, u.id, u.inboxes)
      const user = await getUser(tx, u.id)
      if (user === null) throw new Error(`user ${u.id} vanished inside its own transaction`)
      return { ok: true, user } as const
    })
  } catch (error) {
    const conflict = conflictOf(error)
    if (conflict !== null) return { ok: false, conflict }
    throw error
  }
}

export type UserChange = { name?: string; email?: string | null; role?: Role; telegramId?: string | null; active?: boolean; inboxes?: InboxRef[] }

export async function updateUser(sql: Sql, id: string, change: UserChange): Promise<{ ok: true; user: User } | { ok: false; reason: 'not_found' | 'builtin' | UserConflict }> {
  try {
    return await sql.begin(async (tx) => {
      const [current] = await tx<{ builtin: boolean }[]>`select builtin from users where id = ${id} for update`
      if (current === undefined) return { ok: false, reason: 'not_found' } as const
      // The built-in admin is how a locked-out operator gets back in; it stays an active admin.
      if (current.builtin && (change.role === 'agent' || change.active === false)) return { ok: false, reason: 'builtin' } as const
      const columns: Record<string, string | boolean | null> = {}
      if (change.name !== undefined) columns.name = change.name
      if (change.email !== undefined) columns.email = change.email
      if (change.role !== undefined) columns.role = change.role
      if (change.telegramId !== undefined) columns.telegram_id = change.telegramId
      if (change.active !== undefined) columns.active = change.active
      if (Object.keys(columns).length > 0) await tx`update users set ${tx(columns)} where id = ${id}`
      if (change.inboxes !== undefined) await setInboxes(tx, id, change.inboxes)
      // A deactivated user is signed out of the console at once, not at their session's expiry.
      if (change.active === false) await tx`delete from console_sessions where user_id = ${id}`
      const user = await getUser(tx, id)
      if (user === null) throw new Error(`user ${id} vanished inside its own transaction`)
      return { ok: true, user } as const
    })
  } catch (error) {
    const conflict = conflictOf(error)
    if (conflict !== null) return { ok: false, reason: conflict }
    throw error
  }
}

export async function userExists(sql: Queryable, id: string): Promise<boolean> {
  const rows = await sql`select 1 from users where id = ${id} and active`
  return rows.length === 1
}

/** The active user with this email (compared ignoring case), or null. */
export async function activeUserIdByEmail(sql: Queryable, email: string): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`select id from users where lower(email) = ${email.trim().toLowerCase()} and active limit 1`
  return row?.id ?? null
}

/** The built-in admin's id: the actor of work started from the command line. */
export async function builtinAdminId(sql: Queryable): Promise<string | null> {
  const [row] = await sql<{ id: string }[]>`select id from users where builtin`
  return row?.id ?? null
}

export async function findUserByTelegramId(sql: Queryable, telegramId: string): Promise<User | null> {
  const [row] = await sql<UserRow[]>`
    select id, name, email, role, telegram_id::text, active, created_at, '[]'::json as inboxes from users
    where telegram_id = ${telegramId}::bigint and active`
  return row === undefined ? null : toUser(row)
}

/** TELEGRAM_ADMIN_IDS are admins from the first start: each gets a user unless one has that Telegram id already. */
export async function ensureTelegramAdmins(sql: Queryable, admins: { id: string; telegramId: string }[]): Promise<void> {
  for (const a of admins) {
    await sql`
      insert into users (id, name, role, telegram_id) values (${a.id}, ${`Telegram admin ${a.telegramId}`}, 'admin', ${a.telegramId}::bigint)
      on conflict (telegram_id) do nothing`
  }
}
