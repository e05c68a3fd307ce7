/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx'
import type { User } from '../../../storage/users.ts'
import type { AssetPaths } from './assets.ts'

/** A user's name for reading; a user who was removed since still owned or changed things. */
export function userName(users: User[], id: string, gone = 'A former user'): string {
  return users.find((u) => u.id === id)?.name ?? gone
}

export type Section = 'contacts' | 'lists' | 'imports' | 'duplicates' | 'users' | 'settings' | null

const NAV: { section: Exclude<Section, null>; label: string; href: string; adminOnly?: boolean }[] = [
  { section: 'contacts', label: 'Contacts', href: '/console/contacts' },
  { section: 'lists', label: 'Lists', href: '/console/lists' },
  { section: 'imports', label: 'Imports', href: '/console/imports' },
  { section: 'duplicates', label: 'Duplicates', href: '/console/duplicates' },
  { section: 'users', label: 'Users', href: '/console/users', adminOnly: true },
  { section: 'settings', label: 'Settings', href: '/console/settings', adminOnly: true },
]

/** htmx is told not to inject its own <style>, which the Content-Security-Policy would refuse. */
const HTMX_CONFIG = JSON.stringify({ includeIndicatorStyles: false, historyCacheSize: 0, refreshOnHistoryMiss: true })

export function Page(props: { title: string; assets: AssetPaths; user?: User | undefined; section?: Section; labelColors?: boolean; children: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <title>{`${props.title} · Contact Gateway`}</title>
        <link rel="stylesheet" href={props.assets.css} />
        {props.labelColors === true && <link rel="stylesheet" href="/console/labels.css" />}
        <script src={props.assets.htmx} defer></script>
        <script src={props.assets.localTime} defer></script>
      </head>
      <body>
        <header class="top">
          <span class="brand">Contact Gateway</span>
          {props.user !== undefined && (
            <>
              <nav aria-label="Main">
                {NAV.filter((n) => !n.adminOnly || props.user?.role === 'admin').map((n) => (
                  <a href={n.href} aria-current={props.section === n.section ? 'page' : undefined}>{n.label}</a>
                ))}
              </nav>
              <span>{props.user.name}</span>
              <form method="post" action="/console/sign-out" class="inline">
                <button type="submit" class="secondary">Sign out</button>
              </form>
            </>
          )}
        </header>
        <main id="main">{props.children}</main>
      </body>
    </html>
  )
}

/** A form field: its label, value and error tied together for people and screen readers. */
export function Field(p: { name: string; label: string; value?: string | undefined; error?: string | undefined; type?: string; hint?: string; list?: string; autocomplete?: string; required?: boolean }) {
  const id = `f-${p.name}`
  const described = [p.error ? `${id}-error` : null, p.hint ? `${id}-hint` : null].filter((x) => x !== null).join(' ')
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <input id={id} name={p.name} type={p.type ?? 'text'} value={p.value ?? ''} list={p.list} autocomplete={p.autocomplete} required={p.required}
        aria-invalid={p.error ? 'true' : undefined} aria-describedby={described === '' ? undefined : described} />
      {p.hint && <p id={`${id}-hint`} class="hint">{p.hint}</p>}
      {p.error && <span id={`${id}-error`} class="error">{p.error}</span>}
    </div>
  )
}

export function SelectField(p: { name: string; label: string; value: string; options: { value: string; label: string }[]; error?: string | undefined; hint?: string }) {
  const id = `f-${p.name}`
  const described = [p.error ? `${id}-error` : null, p.hint ? `${id}-hint` : null].filter((x) => x !== null).join(' ')
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <select id={id} name={p.name} aria-invalid={p.error ? 'true' : undefined} aria-describedby={described === '' ? undefined : described}>
        {p.options.map((o) => <option value={o.value} selected={o.value === p.value}>{o.label}</option>)}
      </select>
      {p.hint && <p id={`${id}-hint`} class="hint">{p.hint}</p>}
      {p.error && <span id={`${id}-error`} class="error">{p.error}</span>}
    </div>
  )
}
