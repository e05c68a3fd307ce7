/** @jsxImportSource hono/jsx */
import type { Contact, Preference } from '../../../domain/contact.ts'
import { countryChoices, countryName } from '../../../domain/country.ts'
import { customValueText, type CustomFieldDefinition } from '../../../domain/custom-fields.ts'
import type { FieldError } from '../../../domain/validate.ts'
import type { User } from '../../../storage/users.ts'
import type { ContactCommand } from '../../actions/contacts.ts'
import type { ContactConflict } from '../../../storage/contacts.ts'
import { Field, SelectField } from './layout.tsx'

export const PREFERENCE_LABELS: Record<Preference, string> = {
  reactive: 'Reactive: only answered after they write',
  proactive: 'Proactive: agreed to hear from us first',
}

/** The form's fields, in the order people fill them in; `api` is the field path the API's errors name. */
const FIELDS = [
  { name: 'name', label: 'Name', api: 'name' },
  { name: 'mobile', label: 'Mobile', api: 'mobile', type: 'tel', hint: 'Any format; with a country code (+44 …) unless the number is local.' },
  { name: 'email', label: 'Email', api: 'email', type: 'email' },
  { name: 'dateOfBirth', label: 'Date of birth', api: 'dateOfBirth', type: 'date' },
  { name: 'company', label: 'Company', api: 'company' },
  { name: 'street', label: 'Street', api: 'address.street' },
  { name: 'city', label: 'City', api: 'address.city' },
  { name: 'state', label: 'State', api: 'address.state' },
  { name: 'zip', label: 'Zip', api: 'address.zip' },
  { name: 'country', label: 'Country', api: 'address.country', list: 'countries', hint: 'A name or a code; filled from the mobile when empty.' },
  { name: 'instagram', label: 'Instagram', api: 'social.instagram' },
  { name: 'facebook', label: 'Facebook', api: 'social.facebook' },
  { name: 'linkedin', label: 'LinkedIn', api: 'social.linkedin' },
  { name: 'twitter', label: 'Twitter', api: 'social.twitter' },
] as const

export type FormName = (typeof FIELDS)[number]['name'] | 'preference' | 'ownerId' | 'labels'
/** A custom field's input is named `field.<key>`; a yes/no field also carries `was.field.<key>`, its value before. */
type CustomName = `field.${string}`
export type FormValues = Partial<Record<FormName | 'labelsBefore' | CustomName | `was.${CustomName}`, string>>
export type FormErrors = Partial<Record<FormName | CustomName, string>>

export function CountryList() {
  return <datalist id="countries">{countryChoices().map((c) => <option value={c.name}>{c.code}</option>)}</datalist>
}

/** What a contact's form shows before any edit. */
export function valuesOf(c: Contact): FormValues {
  return {
    name: c.name ?? '', mobile: c.mobile ?? '', email: c.email ?? '', dateOfBirth: c.dateOfBirth ?? '', company: c.company ?? '',
    street: c.address.street ?? '', city: c.address.city ?? '', state: c.address.state ?? '', zip: c.address.zip ?? '',
    country: c.address.country === undefined ? '' : countryName(c.address.country),
    instagram: c.social.instagram ?? '', facebook: c.social.facebook ?? '', linkedin: c.social.linkedin ?? '', twitter: c.social.twitter ?? '',
    preference: c.preference, ownerId: c.ownerId ?? '', labels: c.labels.join(', '), labelsBefore: c.labels.join(', '),
    ...Object.fromEntries(Object.entries(c.fields).flatMap(([key, value]) => [
      [`field.${key}`, customValueText(value)],
      ...(typeof value === 'boolean' ? [[`was.field.${key}`, customValueText(value)]] : []),
    ])),
  }
}

export function formValues(body: Record<string, unknown>, defs: readonly CustomFieldDefinition[]): FormValues {
  const names: string[] = [...FIELDS.map((f) => f.name), 'preference', 'ownerId', 'labels', 'labelsBefore', ...defs.flatMap((d) => [`field.${d.key}`, `was.field.${d.key}`])]
  return Object.fromEntries(names.map((n) => [n, typeof body[n] === 'string' ? body[n] : ''])) as FormValues
}

/** "VIP, Wholesale" as names; empty parts are left out. */
export function labelNamesOf(text: string): string[] {
  return text.split(',').map((n) => n.trim()).filter((n) => n !== '')
}

/**
 * The custom fields as the API's patch. An empty box clears its value. An unticked box cannot tell "no" from
 * "not known", so it says "no" only where the box was ticked before (the contact had "yes"); otherwise the
 * value is left as it was.
 */
function customPatchOf(v: FormValues, defs: readonly CustomFieldDefinition[]): Record<string, string | boolean | null> {
  const patch: Record<string, string | boolean | null> = {}
  for (const d of defs) {
    const value = (v[`field.${d.key}`] ?? '').trim()
    if (d.type !== 'boolean') patch[d.key] = value === '' ? null : value
    else if (value === 'yes') patch[d.key] = true
    else if (v[`was.field.${d.key}`] === 'yes') patch[d.key] = false
  }
  return patch
}

/** The form as the API's input: an empty box clears its field, exactly as `""` does in the API. */
export function commandOf(v: FormValues, defs: readonly CustomFieldDefinition[]): ContactCommand {
  const t = (name: FormName) => (v[name] ?? '').trim() || null
  return {
    name: t('name'), mobile: t('mobile'), email: t('email'), dateOfBirth: t('dateOfBirth'), company: t('company'),
    address: { street: t('street'), city: t('city'), state: t('state'), zip: t('zip'), country: t('country') },
    social: { instagram: t('instagram'), facebook: t('facebook'), linkedin: t('linkedin'), twitter: t('twitter') },
    preference: v.preference === 'proactive' ? 'proactive' : 'reactive',
    ownerId: t('ownerId'),
    // Labels untouched are not sent: a name holding a comma (made through the API) would otherwise be split in two.
    labels: (v.labels ?? '') === (v.labelsBefore ?? '') ? undefined : labelNamesOf(v.labels ?? ''),
    fields: customPatchOf(v, defs),
  }
}

/** The API's field errors, each placed beside the box it is about. */
export function errorsByField(errors: FieldError[], values: FormValues = {}): FormErrors {
  const out: FormErrors = {}
  const names = labelNamesOf(values.labels ?? '')
  for (const e of errors) {
    const field = FIELDS.find((f) => f.api === e.field || e.field.startsWith(`${f.api}[`))
    const name: FormName | CustomName = field?.name
      ?? (e.field === 'ownerId' ? 'ownerId' : e.field.startsWith('labels') ? 'labels' : e.field.startsWith('fields.') ? `field.${e.field.slice(7)}` : 'mobile')
    // A label's error names the label: the box holds several.
    const label = /^labels\[(\d+)\]$/.exec(e.field)?.[1]
    const named = label === undefined ? undefined : names[Number(label)]
    const raw = named === undefined ? e.message : `The label "${named.length > 20 ? `${named.slice(0, 20)}…` : named}" ${e.message}`
    const message = raw.charAt(0).toUpperCase() + raw.slice(1)
    out[name] = out[name] === undefined ? `${message}.` : `${out[name]} ${message}.`
  }
  return out
}

export type Duplicate = { conflict: ContactConflict; holder: Contact | null }

/** One custom field's input, typed: a date picker, a number box, a select of the choices, a yes/no box. */
function CustomField(p: { def: CustomFieldDefinition; values: FormValues; error?: string | undefined }) {
  const { def } = p
  const name = `field.${def.key}` as const
  const id = `f-field-${def.key}`
  const value = p.values[name] ?? ''
  const aria = { 'aria-invalid': p.error ? 'true' : undefined, 'aria-describedby': p.error ? `${id}-error` : undefined }
  const error = p.error && <span id={`${id}-error`} class="error">{p.error}</span>
  if (def.type === 'boolean') {
    return (
      <div class="field check">
        <input id={id} name={name} type="checkbox" value="yes" checked={value === 'yes'} {...aria} />
        <label for={id} class="inline-label">{def.label}</label>
        <input type="hidden" name={`was.${name}`} value={p.values[`was.${name}`] ?? ''} />
        {error}
      </div>
    )
  }
  if (def.type === 'choice') {
    const choices = def.choices ?? []
    // A value that is no longer a choice (or was refused) stays shown as it was, so nothing typed is lost silently.
    const stray = value !== '' && !choices.some((c) => c.toLowerCase() === value.toLowerCase())
    return (
      <div class="field">
        <label for={id}>{def.label}</label>
        <select id={id} name={name} {...aria}>
          <option value="">—</option>
          {stray && <option value={value} selected>{`${value} (not a choice)`}</option>}
          {choices.map((c) => <option value={c} selected={c.toLowerCase() === value.toLowerCase()}>{c}</option>)}
        </select>
        {error}
      </div>
    )
  }
  const type = def.type === 'date' ? 'date' : def.type === 'number' ? 'number' : 'text'
  return (
    <div class="field">
      <label for={id}>{def.label}</label>
      <input id={id} name={name} type={type} value={value} step={def.type === 'number' ? 'any' : undefined} {...aria} />
      {error}
    </div>
  )
}

export function ContactForm(p: { action: string; values: FormValues; errors: FormErrors; users: User[]; actor: User; fields: readonly CustomFieldDefinition[]; duplicate?: Duplicate | undefined }) {
  const owners = p.actor.role === 'admin' ? p.users.filter((u) => u.active) : p.users.filter((u) => u.id === p.actor.id || u.id === p.values.ownerId)
  const ownerOptions = [{ value: '', label: 'Nobody' }, ...owners.map((u) => ({ value: u.id, label: u.name }))]
  return (
    <form method="post" action={p.action} novalidate>
      {p.duplicate && (
        <p class="notice bad" role="alert">
          {`Another contact already has this ${p.duplicate.conflict.field === 'identity' ? 'channel identity' : p.duplicate.conflict.field}: `}
          <a href={`/console/contacts/${p.duplicate.conflict.existingId}`}>{p.duplicate.holder?.name ?? p.duplicate.holder?.mobile ?? p.duplicate.holder?.email ?? 'open it'}</a>
          {'. Nothing was saved.'}
        </p>
      )}
      {Object.keys(p.errors).length > 0 && <p class="notice bad" role="alert">Nothing was saved: fix the fields marked below.</p>}
      <div class="form-grid">
        {FIELDS.map((f) => (
          <Field name={f.name} label={f.label} value={p.values[f.name]} error={p.errors[f.name]} type={'type' in f ? f.type : 'text'}
            {...('hint' in f ? { hint: f.hint } : {})} {...('list' in f ? { list: f.list } : {})} />
        ))}
        <SelectField name="preference" label="Preference" value={p.values.preference ?? 'reactive'} error={p.errors.preference}
          options={(['reactive', 'proactive'] as const).map((v) => ({ value: v, label: PREFERENCE_LABELS[v] }))}
          hint="Reactive contacts are only messaged after they write; proactive ones may be written to first (WhatsApp: with a template)." />
        <SelectField name="ownerId" label="Owner" value={p.values.ownerId ?? ''} error={p.errors.ownerId} options={ownerOptions} />
        <Field name="labels" label="Labels" value={p.values.labels} error={p.errors.labels} hint="Names separated by commas; a new name makes a new label." />
        <input type="hidden" name="labelsBefore" value={p.values.labelsBefore ?? ''} />
      </div>
      {p.fields.length > 0 && (
        <fieldset class="form-grid">
          <legend>Custom fields</legend>
          {p.fields.map((d) => <CustomField def={d} values={p.values} error={p.errors[`field.${d.key}`]} />)}
        </fieldset>
      )}
      <CountryList />
      <button type="submit">Save</button>
    </form>
  )
}
