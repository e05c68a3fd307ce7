/** @jsxImportSource hono/jsx */
import type { Contact, Preference } from '../../../domain/contact.ts'
import { countryChoices, countryName } from '../../../domain/country.ts'
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

export type FormName = (typeof FIELDS)[number]['name'] | 'preference' | 'ownerId'
export type FormValues = Partial<Record<FormName, string>>

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
    preference: c.preference, ownerId: c.ownerId ?? '',
  }
}

export function formValues(body: Record<string, unknown>): FormValues {
  const names: FormName[] = [...FIELDS.map((f) => f.name), 'preference', 'ownerId']
  return Object.fromEntries(names.map((n) => [n, typeof body[n] === 'string' ? body[n] : ''])) as FormValues
}

/** The form as the API's input: an empty box clears its field, exactly as `""` does in the API. */
export function commandOf(v: FormValues): ContactCommand {
  const t = (name: FormName) => (v[name] ?? '').trim() || null
  return {
    name: t('name'), mobile: t('mobile'), email: t('email'), dateOfBirth: t('dateOfBirth'), company: t('company'),
    address: { street: t('street'), city: t('city'), state: t('state'), zip: t('zip'), country: t('country') },
    social: { instagram: t('instagram'), facebook: t('facebook'), linkedin: t('linkedin'), twitter: t('twitter') },
    preference: v.preference === 'proactive' ? 'proactive' : 'reactive',
    ownerId: t('ownerId'),
  }
}

/** The API's field errors, each placed beside the box it is about. */
export function errorsByField(errors: FieldError[]): Partial<Record<FormName, string>> {
  const out: Partial<Record<FormName, string>> = {}
  for (const e of errors) {
    const field = FIELDS.find((f) => f.api === e.field || e.field.startsWith(`${f.api}[`))
    const name: FormName = field?.name ?? (e.field === 'ownerId' ? 'ownerId' : 'mobile')
    const message = e.message.charAt(0).toUpperCase() + e.message.slice(1)
    out[name] = out[name] === undefined ? `${message}.` : `${out[name]} ${message}.`
  }
  return out
}

export type Duplicate = { conflict: ContactConflict; holder: Contact | null }

export function ContactForm(p: { action: string; values: FormValues; errors: Partial<Record<FormName, string>>; users: User[]; actor: User; duplicate?: Duplicate | undefined }) {
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
      </div>
      <CountryList />
      <button type="submit">Save</button>
    </form>
  )
}
