/** @jsxImportSource hono/jsx */
import { CUSTOM_FIELD_TYPES, type CustomFieldDefinition, type CustomFieldType } from '../../../domain/custom-fields.ts'
import type { User } from '../../../storage/users.ts'
import type { Label } from '../../actions/labels.ts'
import type { AssetPaths } from './assets.ts'
import { LabelChips } from './labels-ui.tsx'
import { Field, Page, SelectField } from './layout.tsx'

export const TYPE_NAMES: Record<CustomFieldType, string> = { text: 'Text', number: 'Number', date: 'Date', boolean: 'Yes/no', choice: 'Choice' }

export type NewFieldForm = { key: string; label: string; type: string; choices: string }
export const EMPTY_FIELD_FORM: NewFieldForm = { key: '', label: '', type: 'text', choices: '' }

/** Choices as an admin types them: one a line. */
export function choicesOf(text: string): string[] {
  return text.split(/\r?\n/).map((c) => c.trim()).filter((c) => c !== '')
}

function TextArea(p: { name: string; label: string; value: string; error?: string | undefined; hint?: string }) {
  const id = `f-${p.name}`
  const described = [p.error ? `${id}-error` : null, p.hint ? `${id}-hint` : null].filter((x) => x !== null).join(' ')
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <textarea id={id} name={p.name} rows={4} aria-invalid={p.error ? 'true' : undefined} aria-describedby={described === '' ? undefined : described}>{p.value}</textarea>
      {p.hint && <p id={`${id}-hint`} class="hint">{p.hint}</p>}
      {p.error && <span id={`${id}-error`} class="error">{p.error}</span>}
    </div>
  )
}

export function FieldsSection(p: { fields: CustomFieldDefinition[]; form: NewFieldForm; errors: Record<string, string> }) {
  return (
    <section aria-labelledby="h-fields">
      <h2 id="h-fields">Custom fields</h2>
      {p.fields.length === 0 ? <p>No custom fields yet.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Label</th><th scope="col">Key</th><th scope="col">Type</th><th scope="col" class="optional">Choices</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {p.fields.map((f) => (
                <tr>
                  <td>{f.label}</td><td><code>{f.key}</code></td><td>{TYPE_NAMES[f.type]}</td><td class="optional">{(f.choices ?? []).join(', ')}</td>
                  <td class="row-actions">
                    <a href={`/console/settings/fields/${f.key}`} aria-label={`Edit ${f.label}`}>Edit</a>
                    <a href={`/console/settings/fields/${f.key}/delete`} aria-label={`Delete ${f.label}`}>Delete</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 id="h-new-field">Add a field</h3>
      <form method="post" action="/console/settings/fields" novalidate aria-labelledby="h-new-field">
        {Object.keys(p.errors).length > 0 && <p class="notice bad" role="alert">The field was not added: fix what is marked below.</p>}
        <div class="form-grid">
          <Field name="key" label="Key" value={p.form.key} error={p.errors.key} hint="Lower-case letters, digits and _; it names the field in the API and in files." autocomplete="off" />
          <Field name="label" label="Label" value={p.form.label} error={p.errors.label} hint="What people read on forms and pages." autocomplete="off" />
          <SelectField name="type" label="Type" value={p.form.type} error={p.errors.type} options={CUSTOM_FIELD_TYPES.map((t) => ({ value: t, label: TYPE_NAMES[t] }))} />
          <TextArea name="choices" label="Choices" value={p.form.choices} error={p.errors.choices} hint="For a choice field: one choice a line." />
        </div>
        <button type="submit">Add field</button>
      </form>
    </section>
  )
}

export function LabelsSection(p: { labels: Label[] }) {
  return (
    <section aria-labelledby="h-labels">
      <h2 id="h-labels">Labels</h2>
      {p.labels.length === 0 ? <p>No labels yet: they are made by giving contacts a label.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Label</th><th scope="col">Colour</th><th scope="col">Contacts</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
            <tbody>
              {p.labels.map((l) => (
                <tr>
                  <td><LabelChips names={[l.name]} labels={p.labels} /></td>
                  <td>{l.color ?? 'none'}</td>
                  <td>{l.contacts.toLocaleString('en')}</td>
                  <td class="row-actions">
                    <a href={`/console/settings/labels/${l.id}`} aria-label={`Edit ${l.name}`}>Edit</a>
                    <a href={`/console/settings/labels/${l.id}/delete`} aria-label={`Delete ${l.name}`}>Delete</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}

type Shell = { user: User; assets: AssetPaths }

export function FieldEditPage(p: Shell & { field: CustomFieldDefinition; values: { label: string; choices: string }; errors: Record<string, string> }) {
  const f = p.field
  return (
    <Page title={`Edit ${f.label}`} assets={p.assets} user={p.user} section="settings">
      <h1>{`Edit the field ${f.label}`}</h1>
      <p>{`Key ${f.key}, ${TYPE_NAMES[f.type].toLowerCase()}: the key and the type stay, since values are kept by them.`}</p>
      <form method="post" action={`/console/settings/fields/${f.key}`} novalidate class="narrow">
        {Object.keys(p.errors).length > 0 && <p class="notice bad" role="alert">Nothing was saved: fix what is marked below.</p>}
        <Field name="label" label="Label" value={p.values.label} error={p.errors.label} />
        {f.type === 'choice' && <TextArea name="choices" label="Choices" value={p.values.choices} error={p.errors.choices} hint="One choice a line. Contacts keep a value that is no longer a choice until it is changed." />}
        <button type="submit">Save</button> <a href="/console/settings">Cancel</a>
      </form>
    </Page>
  )
}

export function FieldDeletePage(p: Shell & { field: CustomFieldDefinition; holders: number }) {
  const f = p.field
  return (
    <Page title="Delete field" assets={p.assets} user={p.user} section="settings">
      <h1>{`Delete the field ${f.label}?`}</h1>
      <p>{p.holders === 0 ? 'No contact holds a value in it.' : `${p.holders.toLocaleString('en')} contact${p.holders === 1 ? ' holds a value' : 's hold a value'} in it; the values go with the field.`}</p>
      <form method="post" action={`/console/settings/fields/${f.key}/delete`}>
        <button type="submit" class="danger">Delete field</button> <a href="/console/settings">Cancel</a>
      </form>
    </Page>
  )
}

/** A label without a colour shows this in the picker; it becomes the label's colour only if someone picks it anew. */
export const UNSET_COLOR = '#8a94a6'

export function LabelEditPage(p: Shell & { label: Label; values: { name: string; color: string; colorBefore: string; noColor: boolean }; errors: Record<string, string> }) {
  return (
    <Page title={`Edit ${p.label.name}`} assets={p.assets} user={p.user} section="settings">
      <h1>{`Edit the label ${p.label.name}`}</h1>
      <form method="post" action={`/console/settings/labels/${p.label.id}`} novalidate class="narrow">
        {Object.keys(p.errors).length > 0 && <p class="notice bad" role="alert">Nothing was saved: fix what is marked below.</p>}
        <Field name="name" label="Name" value={p.values.name} error={p.errors.name} hint="A rename shows on every contact with the label." />
        <Field name="color" label="Colour" type="color" value={p.values.color} error={p.errors.color}
          hint={p.label.color === null ? 'No colour yet; pick one to colour the label.' : 'The chip’s colour on contacts.'} />
        <input type="hidden" name="colorBefore" value={p.values.colorBefore} />
        {p.label.color !== null && (
          <div class="field check">
            <input id="f-no-color" name="noColor" type="checkbox" value="1" checked={p.values.noColor} />
            <label for="f-no-color" class="inline-label">No colour</label>
          </div>
        )}
        <button type="submit">Save</button> <a href="/console/settings">Cancel</a>
      </form>
    </Page>
  )
}

export function LabelDeletePage(p: Shell & { label: Label }) {
  const n = p.label.contacts
  return (
    <Page title="Delete label" assets={p.assets} user={p.user} section="settings">
      <h1>{`Delete the label ${p.label.name}?`}</h1>
      <p>{n === 0 ? 'No contact has it.' : `It is taken off the ${n.toLocaleString('en')} contact${n === 1 ? '' : 's'} that have it; the contacts stay.`}</p>
      <form method="post" action={`/console/settings/labels/${p.label.id}/delete`}>
        <button type="submit" class="danger">Delete label</button> <a href="/console/settings">Cancel</a>
      </form>
    </Page>
  )
}
