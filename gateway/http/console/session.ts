import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { sessionUser, SESSION_MAX_AGE_MS } from '../../actions/sign-in.ts'
import type { ConsoleEnv } from './env.ts'

const COOKIE = 'cg_session'

function secure(c: Context): boolean {
  return new URL(c.req.url).protocol === 'https:'
}

export function setSessionCookie(c: Context, token: string): void {
  setCookie(c, COOKIE, token, { httpOnly: true, sameSite: 'Lax', secure: secure(c), path: '/console', maxAge: Math.floor(SESSION_MAX_AGE_MS / 1000) })
}

export function clearSessionCookie(c: Context): void {
  deleteCookie(c, COOKIE, { path: '/console', secure: secure(c) })
}

export function sessionCookie(c: Context): string | undefined {
  return getCookie(c, COOKIE)
}

/** Where a signed-out person lands, coming back to the page they asked for afterwards. */
export function signInUrl(c: Context): string {
  const url = new URL(c.req.url)
  const next = c.req.method === 'GET' ? `${url.pathname}${url.search}` : '/console/contacts'
  return `/console/sign-in?next=${encodeURIComponent(next)}`
}

/** Every page behind it has a live session's user; anyone else is sent to sign in. */
export const requireSession: MiddlewareHandler<ConsoleEnv> = async (c, next) => {
  const token = sessionCookie(c)
  const user = token === undefined ? null : await sessionUser(c.var.deps, token)
  if (user === null || token === undefined) {
    if (token !== undefined) clearSessionCookie(c)
    if (c.req.header('hx-request') === 'true') return c.body(null, 401, { 'HX-Redirect': signInUrl(c) })
    return c.redirect(signInUrl(c), 303)
  }
  c.set('user', user)
  c.set('sessionToken', token)
  await next()
}

/** Only a path of our own console may follow sign-in: never another site. */
export function safeNext(next: string | undefined): string {
  return next !== undefined && /^\/console(\/|$|\?)/.test(next) && !next.startsWith('//') ? next : '/console/contacts'
}
