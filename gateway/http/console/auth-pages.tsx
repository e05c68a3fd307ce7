/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { choosePassword, MIN_PASSWORD_LENGTH, openPasswordLink, signIn, signOut } from '../../actions/sign-in.ts'
import type { ConsoleEnv } from './env.ts'
import { Field, Page } from './layout.tsx'
import { clearSessionCookie, safeNext, sessionCookie, setSessionCookie } from './session.ts'

function SignInForm(p: { email: string; next: string; problem?: string }) {
  return (
    <form method="post" action={`/console/sign-in?next=${encodeURIComponent(p.next)}`} class="sign-in">
      <h1>Sign in</h1>
      {p.problem && <p class="notice bad" role="alert">{p.problem}</p>}
      <Field name="email" label="Email" type="email" value={p.email} autocomplete="username" required />
      <Field name="password" label="Password" type="password" autocomplete="current-password" required />
      <button type="submit">Sign in</button>
    </form>
  )
}

function SetupForm(p: { code: string; needsEmail: boolean; email: string; errors: Partial<Record<'email' | 'password', string>> }) {
  return (
    <form method="post" action="/console/setup" class="sign-in">
      <h1>Choose your password</h1>
      <input type="hidden" name="code" value={p.code} />
      {p.needsEmail && <Field name="email" label="Email" type="email" value={p.email} error={p.errors.email} autocomplete="username" required />}
      <Field name="password" label="Password" type="password" error={p.errors.password} autocomplete="new-password" hint={`At least ${MIN_PASSWORD_LENGTH} characters.`} required />
      <button type="submit">Save password</button>
    </form>
  )
}

const EXPIRED = 'This link has expired or was used already. Ask an admin for a new one.'

/** Sign-in, sign-out and the one-time "choose your password" links: the pages open to signed-out people. */
export function authPages() {
  const app = new Hono<ConsoleEnv>()
  app.get('/console/sign-in', (c) => {
    const next = safeNext(c.req.query('next'))
    return c.html(<Page title="Sign in" assets={c.var.assets}><SignInForm email="" next={next} /></Page>)
  })
  app.post('/console/sign-in', async (c) => {
    const form = await c.req.parseBody()
    const email = typeof form.email === 'string' ? form.email : ''
    const password = typeof form.password === 'string' ? form.password : ''
    const next = safeNext(c.req.query('next'))
    const outcome = await signIn(c.var.deps, email, password, c.var.deps.clientAddress(c))
    if (outcome.ok) {
      setSessionCookie(c, outcome.sessionToken)
      return c.redirect(next, 303)
    }
    if (outcome.reason === 'rate_limited') {
      const minutes = Math.ceil(outcome.retryAfterSeconds / 60)
      const problem = `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`
      return c.html(<Page title="Sign in" assets={c.var.assets}><SignInForm email={email} next={next} problem={problem} /></Page>, 429, { 'Retry-After': String(outcome.retryAfterSeconds) })
    }
    return c.html(<Page title="Sign in" assets={c.var.assets}><SignInForm email={email} next={next} problem="That email and password do not match an account." /></Page>, 401)
  })
  app.post('/console/sign-out', async (c) => {
    const token = sessionCookie(c)
    if (token !== undefined) await signOut(c.var.deps, token)
    clearSessionCookie(c)
    return c.redirect('/console/sign-in', 303)
  })
  app.get('/console/setup', async (c) => {
    const code = c.req.query('code') ?? ''
    const view = code === '' ? { ok: false as const } : await openPasswordLink(c.var.deps, code)
    if (!view.ok) return c.html(<Page title="Link expired" assets={c.var.assets}><p class="notice bad">{EXPIRED}</p></Page>, 410)
    return c.html(<Page title="Choose your password" assets={c.var.assets}><SetupForm code={code} needsEmail={view.needsEmail} email="" errors={{}} /></Page>)
  })
  app.post('/console/setup', async (c) => {
    const form = await c.req.parseBody()
    const code = typeof form.code === 'string' ? form.code : ''
    const email = typeof form.email === 'string' ? form.email : undefined
    const password = typeof form.password === 'string' ? form.password : ''
    const outcome = await choosePassword(c.var.deps, code, { email, password })
    if (outcome.ok) {
      setSessionCookie(c, outcome.sessionToken)
      return c.redirect('/console/contacts', 303)
    }
    if (outcome.reason === 'expired') return c.html(<Page title="Link expired" assets={c.var.assets}><p class="notice bad">{EXPIRED}</p></Page>, 410)
    const errors = Object.fromEntries(outcome.errors.map((e) => [e.field, e.message]))
    const view = await openPasswordLink(c.var.deps, code)
    return c.html(<Page title="Choose your password" assets={c.var.assets}><SetupForm code={code} needsEmail={view.ok && view.needsEmail} email={email ?? ''} errors={errors} /></Page>, 422)
  })
  return app
}
