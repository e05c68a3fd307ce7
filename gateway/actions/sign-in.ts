import { builtinAdminSignIn, deleteSession, findSignInByEmail, insertSession, peekPasswordLink, redeemPasswordLink, setSignIn, touchSession } from '../../storage/console-auth.ts'
import { normalizeEmail } from '../../domain/validate.ts'
import { getUser, type User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { hashPassword, verifyPassword } from '../infra/passwords.ts'
import { generateToken, hashToken } from '../infra/tokens.ts'
import { issuePasswordLink } from './users.ts'

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000
export const SESSION_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000
export const MIN_PASSWORD_LENGTH = 12
// Failed sign-ins allowed per quarter hour, per address and per email: enough for typos, not for guessing.
const FAILED_SIGN_INS = { perAddress: 20, perEmail: 5, windowSeconds: 15 * 60 }

export type SignInOutcome =
  | { ok: true; sessionToken: string; userId: string }
  | { ok: false; reason: 'wrong_credentials' }
  | { ok: false; reason: 'rate_limited'; retryAfterSeconds: number }

async function failedAttempt(deps: Deps, address: string, email: string): Promise<SignInOutcome> {
  const [byAddress, byEmail] = await Promise.all([
    deps.limiter.hit({ name: 'sign-in-address', limit: FAILED_SIGN_INS.perAddress, windowSeconds: FAILED_SIGN_INS.windowSeconds }, address),
    deps.limiter.hit({ name: 'sign-in-email', limit: FAILED_SIGN_INS.perEmail, windowSeconds: FAILED_SIGN_INS.windowSeconds }, email.toLowerCase()),
  ])
  const blocked = [byAddress, byEmail].filter((d) => !d.allowed)
  if (blocked.length > 0) return { ok: false, reason: 'rate_limited', retryAfterSeconds: Math.max(...blocked.map((d) => d.retryAfterSeconds)) }
  return { ok: false, reason: 'wrong_credentials' }
}

/** Limits are counted on failures only, but once exceeded they stop right passwords too, until the window ends. */
async function blockedFor(deps: Deps, address: string, email: string): Promise<number | null> {
  const [byAddress, byEmail] = await Promise.all([
    deps.limiter.peek({ name: 'sign-in-address', limit: FAILED_SIGN_INS.perAddress, windowSeconds: FAILED_SIGN_INS.windowSeconds }, address),
    deps.limiter.peek({ name: 'sign-in-email', limit: FAILED_SIGN_INS.perEmail, windowSeconds: FAILED_SIGN_INS.windowSeconds }, email.toLowerCase()),
  ])
  const blocked = [byAddress, byEmail].filter((d) => !d.allowed)
  return blocked.length === 0 ? null : Math.max(...blocked.map((d) => d.retryAfterSeconds))
}

async function openSession(deps: Deps, userId: string): Promise<string> {
  const sessionToken = generateToken().slice(3)
  await insertSession(deps.sql, await hashToken(sessionToken), userId, deps.now())
  return sessionToken
}

export async function signIn(deps: Deps, email: string, password: string, address: string): Promise<SignInOutcome> {
  const retryAfter = await blockedFor(deps, address, email)
  if (retryAfter !== null) return { ok: false, reason: 'rate_limited', retryAfterSeconds: retryAfter }
  const found = await findSignInByEmail(deps.sql, email.trim())
  const right = await verifyPassword(password, found?.passwordHash ?? null)
  if (found === null || !right || !found.active) return failedAttempt(deps, address, email.trim())
  return { ok: true, sessionToken: await openSession(deps, found.userId), userId: found.userId }
}

/** The signed-in user behind a session cookie, or null when it expired, was signed out or the user deactivated. */
export async function sessionUser(deps: Deps, sessionToken: string): Promise<User | null> {
  return touchSession(deps.sql, await hashToken(sessionToken), deps.now(), SESSION_IDLE_MS, SESSION_MAX_AGE_MS)
}

export async function signOut(deps: Deps, sessionToken: string): Promise<void> {
  await deleteSession(deps.sql, await hashToken(sessionToken))
}

export type PasswordLinkView = { ok: true; userId: string; needsEmail: boolean } | { ok: false }

/** What the link's form must ask: the built-in admin's first setup also chooses the sign-in email. */
export async function openPasswordLink(deps: Deps, code: string): Promise<PasswordLinkView> {
  const userId = await peekPasswordLink(deps.sql, await hashToken(code), deps.now())
  if (userId === null) return { ok: false }
  const user = await getUser(deps.sql, userId)
  return { ok: true, userId, needsEmail: user?.email === null }
}

export type ChosenPassword = { email?: string | undefined; password: string }
export type PasswordChoiceOutcome =
  | { ok: true; sessionToken: string }
  | { ok: false; reason: 'expired' }
  | { ok: false; reason: 'invalid'; errors: { field: 'email' | 'password'; message: string }[] }

/** Redeems a link: checks what was chosen, stores it, uses the link up and signs the person in. */
export async function choosePassword(deps: Deps, code: string, choice: ChosenPassword): Promise<PasswordChoiceOutcome> {
  const view = await openPasswordLink(deps, code)
  if (!view.ok) return { ok: false, reason: 'expired' }
  const errors: { field: 'email' | 'password'; message: string }[] = []
  let email: string | undefined
  if (view.needsEmail) {
    const checked = normalizeEmail(choice.email ?? '')
    if (checked.ok) email = checked.email
    else errors.push({ field: 'email', message: checked.message })
  }
  if (choice.password.length < MIN_PASSWORD_LENGTH) errors.push({ field: 'password', message: `the password must have at least ${MIN_PASSWORD_LENGTH} characters` })
  if (errors.length > 0) return { ok: false, reason: 'invalid', errors }
  const redeemed = await redeemPasswordLink(deps.sql, await hashToken(code), deps.now(), { passwordHash: await hashPassword(choice.password), ...(email === undefined ? {} : { email }) })
  if (!redeemed.ok) {
    return redeemed.reason === 'expired' ? { ok: false, reason: 'expired' } : { ok: false, reason: 'invalid', errors: [{ field: 'email', message: 'another user signs in with this email' }] }
  }
  deps.users.clear()
  return { ok: true, sessionToken: await openSession(deps, redeemed.userId) }
}

/**
 * At start: ADMIN_EMAIL and ADMIN_PASSWORD (re)set the built-in admin's sign-in. Without them, an admin who has
 * never chosen a password gets a setup link, returned to be printed (its code is stored only as a hash).
 */
export async function ensureAdminSignIn(deps: Deps): Promise<string | null> {
  const admin = await builtinAdminSignIn(deps.sql)
  if (admin === null) return null
  const { adminEmail, adminPassword } = deps.config.console
  if (adminEmail !== undefined && adminPassword !== undefined) {
    const set = await setSignIn(deps.sql, admin.id, { email: adminEmail, passwordHash: await hashPassword(adminPassword) })
    if (!set.ok) throw new Error('ADMIN_EMAIL belongs to another user; choose another address for the built-in admin')
    deps.users.clear()
    return null
  }
  return admin.hasPassword ? null : issuePasswordLink(deps, admin.id)
}
