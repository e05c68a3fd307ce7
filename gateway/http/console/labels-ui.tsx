/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { labelNames, type LabelName } from '../../actions/labels.ts'
import type { ConsoleEnv } from './env.ts'

const COLOR = /^#[0-9a-f]{6}$/i

/** Dark text on light colours, white on dark ones (YIQ brightness), so a chip stays readable whatever was picked. */
function inkFor(color: string): string {
  const n = Number.parseInt(color.slice(1), 16)
  const brightness = (((n >> 16) & 255) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000
  return brightness >= 140 ? '#1d2330' : '#ffffff'
}

/**
 * The labels' colours as a stylesheet of our own: the Content-Security-Policy refuses inline styles, and a
 * colour is any #rrggbb an admin picked, so each coloured label gets a class here.
 */
export function labelStylesheet(labels: readonly LabelName[]): string {
  return labels
    .filter((l): l is LabelName & { color: string } => l.color !== null && COLOR.test(l.color))
    .map((l) => `.chip.l-${l.id} { background: ${l.color}; border-color: ${l.color}; color: ${inkFor(l.color)}; }`)
    .join('\n')
}

export function labelStyleRoutes() {
  const app = new Hono<ConsoleEnv>()
  app.get('/console/labels.css', async (c) => {
    c.header('content-type', 'text/css; charset=utf-8')
    return c.body(labelStylesheet(await labelNames(c.var.deps)))
  })
  return app
}

/** A contact's labels as chips, each coloured by its label when it has a colour. */
export function LabelChips(p: { names: readonly string[]; labels: readonly LabelName[] }) {
  if (p.names.length === 0) return <></>
  const byName = new Map(p.labels.map((l) => [l.name, l]))
  return (
    <ul class="chips">
      {p.names.map((name) => {
        const label = byName.get(name)
        return <li class={label?.color ? `chip l-${label.id}` : 'chip'}>{name}</li>
      })}
    </ul>
  )
}
