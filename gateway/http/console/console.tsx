/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import type { Deps } from '../../deps.ts'
import { authPages } from './auth-pages.tsx'
import { consoleAssets } from './assets.ts'
import { contactPages } from './contacts-routes.tsx'
import { contactBulkPages } from './contacts-bulk.tsx'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { requireSession } from './session.ts'
import { userPages } from './users-routes.tsx'
import { importPages } from './imports-routes.tsx'
import { duplicatePages } from './duplicates-routes.tsx'
import { settingsPages } from './settings-routes.tsx'
import { listPages } from './lists-routes.tsx'
import { labelStyleRoutes } from './labels-ui.tsx'

// Scripts and styles only from ourselves: a name that slipped through escaping still could not run.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

/** The web console under /console: pages that call the same actions as the API and the bot. */
export function consoleApp(deps: Deps) {
  const assets = consoleAssets(deps.consoleAssets)
  const app = new Hono<ConsoleEnv>()
  app.route('/', assets.routes)
  app.use('/console/*', async (c, next) => {
    c.set('assets', assets.paths)
    await next()
    if (!c.req.path.startsWith('/console/assets/')) {
      c.header('content-security-policy', CSP)
      // Nothing private stays in the browser's cache: after "Sign out" the back button shows nothing.
      c.header('cache-control', 'no-store')
      c.header('x-content-type-options', 'nosniff')
      c.header('referrer-policy', 'same-origin')
    }
  })
  // Forms from other sites are refused (Origin check); SameSite=Lax cookies are the second line.
  app.use('/console/*', csrf())
  const formLimit = bodyLimit({ maxSize: deps.config.limits.jsonBodyBytes, onError: (c) => c.text('The form is too large.', 413) })
  app.use('/console/*', (c, next) => (c.req.method === 'POST' && c.req.path === '/console/imports/new' ? next() : formLimit(c, next)))
  app.get('/console', (c) => c.redirect('/console/contacts', 303))
  app.route('/', authPages())
  app.use('/console/*', requireSession)
  app.route('/', contactBulkPages())
  app.route('/', contactPages())
  app.route('/', userPages())
  app.route('/', importPages())
  app.route('/', duplicatePages())
  app.route('/', settingsPages())
  app.route('/', listPages())
  app.route('/', labelStyleRoutes())
  app.all('/console/*', (c) => c.html(<Page title="Not found" assets={c.var.assets} user={c.var.user}><h1>Not found</h1><p><a href="/console/contacts">Contacts</a></p></Page>, 404))
  return app
}
