/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { CUSTOM_FIELD_TYPES, type CustomFieldDefinition } from '../../../domain/custom-fields.ts'
import { createCustomFieldAs, customFieldValueCount, customFields, deleteCustomFieldAs, updateCustomFieldAs } from '../../actions/custom-fields.ts'
import { deadDeliveries, inboxHealth, isDeliveryId, retryDeadDelivery, type DeadDelivery, type InboxStats } from '../../actions/inbox.ts'
import { deleteLabelAs, labels as allLabels, updateLabelAs, type Label } from '../../actions/labels.ts'
import type { User } from '../../../storage/users.ts'
import type { AssetPaths } from './assets.ts'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { Time } from './time.tsx'
import { attempt, messagesByField } from './refusals.ts'
import {
  choicesOf, EMPTY_FIELD_FORM, FieldDeletePage, FieldEditPage, FieldsSection, LabelDeletePage, LabelEditPage, LabelsSection, UNSET_COLOR, type NewFieldForm,
} from './settings-fields.tsx'

type C = Context<ConsoleEnv>

const DEAD_SHOWN = 50

function lagText(seconds: number): string {
  if (seconds < 1) return 'under a second'
  if (seconds < 120) return `${Math.round(seconds)} s`
  return `${Math.round(seconds / 60)} min`
}

type SettingsView = {
  user: User; assets: AssetPaths; health: InboxStats; dead: DeadDelivery[]; retried?: string | undefined
  fields: CustomFieldDefinition[]; labels: Label[]; fieldForm: NewFieldForm; fieldErrors: Record<string, string>; notice?: string | undefined
}

/** Custom fields and labels, then the inbound inbox: what waits, how late it runs, and what failed every attempt. */
export function SettingsPage(p: SettingsView) {
  return (
    <Page title="Settings" assets={p.assets} user={p.user} section="settings" labelColors>
      <h1>Settings</h1>
      {p.notice && <p class="notice" role="status">{p.notice}</p>}
      <FieldsSection fields={p.fields} form={p.fieldForm} errors={p.fieldErrors} />
      <LabelsSection labels={p.labels} />
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
                  <td><Time at={d.receivedAt} /></td>
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

async function render(c: C, extra: Partial<SettingsView> = {}, status: 200 | 409 | 422 = 200) {
  const [health, dead, fields, labels] = await Promise.all([inboxHealth(c.var.deps), deadDeliveries(c.var.deps, DEAD_SHOWN, null), customFields(c.var.deps), allLabels(c.var.deps)])
  return c.html(<SettingsPage user={c.var.user} assets={c.var.assets} health={health} dead={dead.items} fields={fields} labels={labels}
    fieldForm={EMPTY_FIELD_FORM} fieldErrors={{}} notice={c.req.query('done')} {...extra} />, status)
}

const str = (v: unknown) => (typeof v === 'string' ? v : '')
const done = (c: C, message: string) => c.redirect(`/console/settings?done=${encodeURIComponent(message)}`, 303)

async function fieldOf(c: C): Promise<CustomFieldDefinition | null> {
  const key = c.req.param('key')
  return (await customFields(c.var.deps)).find((f) => f.key === key) ?? null
}

async function labelOf(c: C): Promise<Label | null> {
  const id = c.req.param('id')
  return (await allLabels(c.var.deps)).find((l) => l.id === id) ?? null
}

/** Custom fields: add, rename, change the choices, delete after saying how many contacts hold a value. */
function fieldRoutes(app: Hono<ConsoleEnv>) {
  app.post('/console/settings/fields', async (c) => {
    const body = await c.req.parseBody()
    const form: NewFieldForm = { key: str(body.key).trim(), label: str(body.label), type: str(body.type), choices: str(body.choices) }
    const type = CUSTOM_FIELD_TYPES.find((t) => t === form.type)
    if (type === undefined) return render(c, { fieldForm: form, fieldErrors: { type: 'Choose one of the types.' } }, 422)
    const made = await attempt(() => createCustomFieldAs(c.var.deps, c.var.user, { key: form.key, label: form.label, type, choices: type === 'choice' ? choicesOf(form.choices) : undefined }))
    if (!made.ok) return render(c, { fieldForm: form, fieldErrors: messagesByField(made.error, 'key') }, made.error.code === 'conflict' ? 409 : 422)
    return done(c, `Field "${made.value.label}" added.`)
  })
  app.get('/console/settings/fields/:key', async (c) => {
    const field = await fieldOf(c)
    if (field === null) return notFound(c)
    return c.html(<FieldEditPage user={c.var.user} assets={c.var.assets} field={field} values={{ label: field.label, choices: (field.choices ?? []).join('\n') }} errors={{}} />)
  })
  app.post('/console/settings/fields/:key', async (c) => {
    const field = await fieldOf(c)
    if (field === null) return notFound(c)
    const body = await c.req.parseBody()
    const values = { label: str(body.label), choices: str(body.choices) }
    const saved = await attempt(() => updateCustomFieldAs(c.var.deps, c.var.user, field.key, { label: values.label, choices: field.type === 'choice' ? choicesOf(values.choices) : undefined }))
    if (!saved.ok) return c.html(<FieldEditPage user={c.var.user} assets={c.var.assets} field={field} values={values} errors={messagesByField(saved.error, 'label')} />, 422)
    return done(c, `Field "${saved.value.label}" saved.`)
  })
  app.get('/console/settings/fields/:key/delete', async (c) => {
    const field = await fieldOf(c)
    if (field === null) return notFound(c)
    return c.html(<FieldDeletePage user={c.var.user} assets={c.var.assets} field={field} holders={await customFieldValueCount(c.var.deps, field.key)} />)
  })
  app.post('/console/settings/fields/:key/delete', async (c) => {
    const field = await fieldOf(c)
    if (field === null) return notFound(c)
    await deleteCustomFieldAs(c.var.deps, c.var.user, field.key)
    return done(c, `Field "${field.label}" deleted.`)
  })
}

/** Labels: rename, colour, delete (taken off every contact). */
function labelRoutes(app: Hono<ConsoleEnv>) {
  app.get('/console/settings/labels/:id', async (c) => {
    const label = await labelOf(c)
    if (label === null) return notFound(c)
    const color = label.color ?? UNSET_COLOR
    return c.html(<LabelEditPage user={c.var.user} assets={c.var.assets} label={label} values={{ name: label.name, color, colorBefore: color, noColor: false }} errors={{}} />)
  })
  app.post('/console/settings/labels/:id', async (c) => {
    const label = await labelOf(c)
    if (label === null) return notFound(c)
    const body = await c.req.parseBody()
    const values = { name: str(body.name), color: str(body.color), colorBefore: str(body.colorBefore), noColor: body.noColor === '1' }
    // The picker always holds a colour: it changes the label's only when someone picked another one.
    const color = values.noColor ? null : values.color !== values.colorBefore ? values.color : undefined
    const saved = await attempt(() => updateLabelAs(c.var.deps, c.var.user, label.id, { name: values.name, color }))
    if (!saved.ok) {
      const status = saved.error.code === 'conflict' ? 409 : 422
      return c.html(<LabelEditPage user={c.var.user} assets={c.var.assets} label={label} values={values} errors={messagesByField(saved.error, 'name')} />, status)
    }
    return done(c, `Label "${saved.value.name}" saved.`)
  })
  app.get('/console/settings/labels/:id/delete', async (c) => {
    const label = await labelOf(c)
    if (label === null) return notFound(c)
    return c.html(<LabelDeletePage user={c.var.user} assets={c.var.assets} label={label} />)
  })
  app.post('/console/settings/labels/:id/delete', async (c) => {
    const label = await labelOf(c)
    if (label === null) return notFound(c)
    await deleteLabelAs(c.var.deps, c.var.user, label.id)
    return done(c, `Label "${label.name}" deleted.`)
  })
}

/** /console/settings: admins only, as the API's inbox routes are. */
export function settingsPages() {
  const app = new Hono<ConsoleEnv>()
  app.use('/console/settings', async (c, next) => (c.var.user.role === 'admin' ? next() : notFound(c)))
  app.use('/console/settings/*', async (c, next) => (c.var.user.role === 'admin' ? next() : notFound(c)))
  app.get('/console/settings', (c) => render(c, { retried: c.req.query('retried') }))
  fieldRoutes(app)
  labelRoutes(app)
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
