/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { deadDeliveries, inboxHealth, isDeliveryId, retryDeadDelivery, type DeadDelivery, type InboxStats } from '../../actions/inbox.ts'
import type { User } from '../../../storage/users.ts'
import type { AssetPaths } from './assets.ts'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'

type C = Context<ConsoleEnv>

const DEAD_SHOWN = 50

function lagText(seconds: number): string {
  if (seconds < 1) return 'under a second'
  if (seconds < 120) return `${Math.round(seconds)} s`
  return `${Math.round(seconds / 60)} min`
}

/** The inbound inbox as an admin sees it: what waits, how late it runs, and what failed every attempt. */
export function SettingsPage(p: { user: User; assets: AssetPaths; health: InboxStats; dead: DeadDelivery[]; retried?: string | undefined }) {
  return (
    <Page title="Settings" assets={p.assets} user={p.user} section="settings">
      <h1>Settings</h1>
      <section aria-labelledby="inbox-health">
        <h2 id="inbox-health">Inbox health</h2>
        <dl class="facts">
          <dt>Inbox depth</dt><dd>{p.health.depth} {p.health.depth === 1 ? 'delivery' : 'deliveries'} waiting</dd>
          <dt>Processing lag</dt><dd>{lagText(p.health.lagSeconds)}</dd>
          <dt>Dead deliveries</dt><dd>{p.health.dead}</dd>
        </dl>
        {p.retried !== undefined && <p role="status">Delivery {p.retried} is back in line.</p>}
        {p.dead.length === 0 ? <p>No delivery has failed every attempt.</p> : (
          <table>
            <caption>Deliveries that could not be processed after their retries, newest first</caption>
            <thead><tr><th scope="col">Received</th><th scope="col">Channel</th><th scope="col">Attempts</th><th scope="col">Reason</th><th scope="col"><span class="visually-hidden">Action</span></th></tr></thead>
            <tbody>
              {p.dead.map((d) => (
                <tr>
                  <td><time datetime={d.receivedAt.toISOString()}>{d.receivedAt.toISOString().replace('T', ' ').slice(0, 19)} UTC</time></td>
                  <td>{d.channel}</td>
                  <td>{d.attempts}</td>
                  <td>{d.reason}</td>
                  <td>
                    <form method="post" action={`/console/settings/dead/${d.id}/retry`} class="inline">
                      <button type="submit" aria-label={`Retry delivery ${d.id}`}>Retry</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Page>
  )
}

async function render(c: C, retried?: string) {
  const [health, dead] = await Promise.all([inboxHealth(c.var.deps), deadDeliveries(c.var.deps, DEAD_SHOWN, null)])
  return c.html(<SettingsPage user={c.var.user} assets={c.var.assets} health={health} dead={dead.items} retried={retried} />)
}

/** /console/settings: admins only, as the API's inbox routes are. */
export function settingsPages() {
  const app = new Hono<ConsoleEnv>()
  app.use('/console/settings', async (c, next) => (c.var.user.role === 'admin' ? next() : notFound(c)))
  app.use('/console/settings/*', async (c, next) => (c.var.user.role === 'admin' ? next() : notFound(c)))
  app.get('/console/settings', (c) => render(c, c.req.query('retried')))
  app.post('/console/settings/dead/:id/retry', async (c) => {
    const id = c.req.param('id')
    if (!isDeliveryId(id)) return notFound(c)
    await retryDeadDelivery(c.var.deps, id)
    return c.redirect(`/console/settings?retried=${id}`, 303)
  })
  return app
}

function notFound(c: C) {
  return c.html(<Page title="Not found" assets={c.var.assets} user={c.var.user}><h1>Not found</h1><p>There is no such page for you.</p></Page>, 404)
}
