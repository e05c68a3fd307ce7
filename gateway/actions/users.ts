import { normalizeEmail } from '../../domain/validate.ts'
import { insertPasswordLink } from '../../storage/console-auth.ts'
import { getUser, insertUser, listUsers, updateUser, type InboxRef, type Role, type User, type UserChange, type UserConflict } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { generateToken, hashToken } from '../infra/tokens.ts'

/** How long a "choose your password" link works: long enough to hand it over, short enough to go stale. */
export const PASSWORD_LINK_TTL_MS = 24 * 60 * 60 * 1000

export type NewUserCommand = { name: string; email?: string | null | undefined; role: Role; telegramId?: string | null | undefined; inboxes?: InboxRef[] | undefined }
export type UserChangeCommand = { name?: string | undefined; email?: string | null | undefined; role?: Role | undefined; telegramId?: string | null | undefined; active?: boolean | undefined; inboxes?: InboxRef[] | undefined }

export type UserRefusal = { ok: false; reason: 'not_found' | 'builtin' | 'invalid_email' | UserConflict }
/** `passwordCode` is the one-time code of the user's "choose your password" link, made when they have an email. */
export type CreatedUser = { ok: true; user: User; token: string; passwordCode: string | null }

function emailOrRefusal(email: string | null | undefined): { ok: true; email: string | null | undefined } | UserRefusal {
  if (email === undefined || email === null || email.trim() === '') return { ok: true, email: email === undefined ? undefined : null }
  const checked = normalizeEmail(email)
  return checked.ok ? { ok: true, email: checked.email } : { ok: false, reason: 'invalid_email' }
}

/** A one-time link for the user to choose a password; it replaces any unused link they had. */
export async function issuePasswordLink(deps: Deps, userId: string): Promise<string> {
  const code = generateToken().slice(3)
  const now = deps.now()
  await insertPasswordLink(deps.sql, await hashToken(code), userId, now, new Date(now.getTime() + PASSWORD_LINK_TTL_MS))
  return code
}

export function allUsers(deps: Deps): Promise<User[]> {
  return listUsers(deps.sql)
}

export function findUser(deps: Deps, id: string): Promise<User | null> {
  return getUser(deps.sql, id)
}

/** A new agent or admin: an API token shown once, and a password link when they have an email to sign in with. */
export async function createUser(deps: Deps, input: NewUserCommand): Promise<CreatedUser | UserRefusal> {
  const email = emailOrRefusal(input.email)
  if (!email.ok) return email
  const token = generateToken()
  const created = await insertUser(deps.sql, {
    id: deps.newId(), name: input.name, email: email.email ?? null, role: input.role, tokenHash: await hashToken(token),
    telegramId: input.telegramId ?? null, inboxes: input.inboxes ?? [],
  })
  if (!created.ok) return { ok: false, reason: created.conflict }
  const passwordCode = created.user.email === null ? null : await issuePasswordLink(deps, created.user.id)
  return { ok: true, user: created.user, token, passwordCode }
}

export async function changeUser(deps: Deps, id: string, change: UserChangeCommand): Promise<{ ok: true; user: User } | UserRefusal> {
  const email = emailOrRefusal(change.email)
  if (!email.ok) return email
  const defined = Object.fromEntries(Object.entries({ ...change, email: email.email }).filter(([, v]) => v !== undefined)) as UserChange
  const result = await updateUser(deps.sql, id, defined)
  if (!result.ok) return { ok: false, reason: result.reason }
  deps.users.clear()
  return result
}
