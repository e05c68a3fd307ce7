/** @jsxImportSource hono/jsx */
import type { Contact } from '../../../domain/contact.ts'
import { countryName } from '../../../domain/country.ts'
import { customValueText, type CustomFieldDefinition } from '../../../domain/custom-fields.ts'
import type { LabelName } from '../../actions/labels.ts'
import { formatMobileForReading } from '../../../domain/phone.ts'
import type { User } from '../../../storage/users.ts'
import type { ChannelAnswer } from '../../actions/contact-view.ts'
import type { StoredMessage } from '../../../storage/messages.ts'
import type { HistoryEntry } from '../../../storage/history.ts'
import type { AssetPaths } from './assets.ts'
import { Page, userName } from './layout.tsx'
import { PREFERENCE_LABELS } from './contact-form.tsx'
import { LabelChips } from './labels-ui.tsx'
import { Time } from './time.tsx'

const CHANNEL_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', instagram: 'Instagram', messenger: 'Messenger', hubspot: 'HubSpot', zoho: 'Zoho' }
const ISSUE_HELP: Record<string, string> = {
  missing_country_code: 'Edit the mobile and write it with its country code (+…); until then it cannot be messaged.',
}

function Fact(p: { label: string; value: string | null | undefined }) {
  return <><dt>{p.label}</dt><dd>{p.value === null || p.value === undefined || p.value === '' ? '—' : p.value}</dd></>
}

function Answer(p: { label: string; decision: ChannelAnswer['text'] }) {
  return <li class={p.decision.allowed ? 'allowed' : 'denied'}>{`${p.label}: ${p.decision.allowed ? 'yes' : 'no'}. ${p.decision.message}`}</li>
}

const KIND_NAMES: Record<HistoryEntry['kind'], string> = { created: 'Created', updated: 'Changed', deleted: 'Deleted', merged: 'Merged', unmerged: 'Merge undone' }
const DOOR_NAMES: Record<HistoryEntry['source'], string> = {
  manual: 'through the API', console: 'in the console', bot: 'in the Telegram bot', import: 'by an import', incoming: 'by a message they sent', crm: 'from the CRM', merge: 'by a merge',
}

/** A changed value as people read it: owners by name, objects as their parts, nothing as a dash. */
function shown(users: User[], field: string, value: unknown): string {
  if (value === null || value === undefined) return '—'
  if (field === 'ownerId' && typeof value === 'string') return userName(users, value, 'a former user')
  if (Array.isArray(value)) return value.join(', ')
  if (typeof value === 'object') return Object.entries(value).map(([k, v]) => `${k}: ${String(v)}`).join(', ')
  return String(value)
}

export type ContactPageView = {
  user: User; assets: AssetPaths; contact: Contact; users: User[]; channels: ChannelAnswer[]
  messages: StoredMessage[]; olderMessages: string | null; mayChange: boolean; notice?: string | undefined
  history: HistoryEntry[]
  /** Every label (for their colours), the custom fields defined, and the lists this contact is in. */
  labels: LabelName[]; fields: CustomFieldDefinition[]; lists: { id: string; name: string }[]
  /** The merge that just made this contact, offered back. */
  justMerged?: string | undefined
}

export function ContactPage(v: ContactPageView) {
  const c = v.contact
  const owner = c.ownerId === null ? 'Nobody' : userName(v.users, c.ownerId)
  const address = [c.address.street, c.address.city, c.address.state, c.address.zip].filter((x) => x !== undefined && x !== '').join(', ')
  return (
    <Page title={c.name ?? 'Contact'} assets={v.assets} user={v.user} section="contacts" labelColors>
      <div class="toolbar">
        <h1>{c.name ?? '(no name)'}</h1>
        {v.mayChange && (
          <div class="actions">
            <form method="get" action={`/console/contacts/${c.id}/edit`} class="inline"><button type="submit">Edit</button></form>
            <form method="get" action={`/console/contacts/${c.id}/delete`} class="inline"><button type="submit" class="danger">Delete</button></form>
          </div>
        )}
      </div>
      {v.notice && <p class="notice" role="status">{v.notice}</p>}
      {v.justMerged && (
        <form method="post" action={`/console/merges/${v.justMerged}/undo`} class="notice" role="status">
          Merged. <button type="submit" class="secondary">Undo</button>
        </form>
      )}
      <section aria-labelledby="h-details">
        <h2 id="h-details">Details</h2>
        <dl class="facts">
          <Fact label="Mobile" value={c.mobile === null ? null : `${formatMobileForReading(c.mobile)} (${c.mobile})`} />
          <Fact label="Other mobiles" value={c.otherMobiles.map(formatMobileForReading).join(', ')} />
          <Fact label="Email" value={c.email} />
          <Fact label="Other emails" value={c.otherEmails.join(', ')} />
          <Fact label="Date of birth" value={c.dateOfBirth} />
          <Fact label="Company" value={c.company} />
          <Fact label="Address" value={address} />
          <Fact label="Country" value={c.address.country === undefined ? null : `${countryName(c.address.country)} (${c.address.country})`} />
          {(['instagram', 'facebook', 'linkedin', 'twitter'] as const).map((n) => <Fact label={n === 'linkedin' ? 'LinkedIn' : n.charAt(0).toUpperCase() + n.slice(1)} value={c.social[n]} />)}
          {v.fields.map((d) => <Fact label={d.label} value={customValueText(c.fields[d.key])} />)}
          <Fact label="Owner" value={owner} />
          <Fact label="Preference" value={PREFERENCE_LABELS[c.preference]} />
          <Fact label="Source" value={c.source} />
          <dt>Created</dt><dd><Time at={c.createdAt} /></dd>
          <dt>Updated</dt><dd><Time at={c.updatedAt} /></dd>
        </dl>
      </section>
      <section aria-labelledby="h-labels">
        <h2 id="h-labels">Labels</h2>
        {c.labels.length === 0 ? <p>No labels.</p> : <LabelChips names={c.labels} labels={v.labels} />}
      </section>
      <section aria-labelledby="h-lists">
        <h2 id="h-lists">Lists</h2>
        {v.lists.length === 0 ? <p>In no list.</p> : <ul>{v.lists.map((l) => <li><a href={`/console/lists/${l.id}`}>{l.name}</a></li>)}</ul>}
      </section>
      <section aria-labelledby="h-issues">
        <h2 id="h-issues">Issues</h2>
        {c.issues.length === 0 ? <p>None.</p> : <ul>{c.issues.map((i) => <li><strong>{i.message}</strong> {ISSUE_HELP[i.code] ?? ''}</li>)}</ul>}
      </section>
      <section aria-labelledby="h-identities">
        <h2 id="h-identities">Channels</h2>
        {c.identities.length === 0 ? <p>No channel identities yet.</p> : <ul>{c.identities.map((i) => <li>{`${CHANNEL_NAMES[i.channel] ?? i.channel}: ${i.externalId}`}</li>)}</ul>}
      </section>
      <section aria-labelledby="h-reach">
        <h2 id="h-reach">May we message them now?</h2>
        {v.channels.map((a) => (
          <div>
            <h3>{CHANNEL_NAMES[a.channel]}</h3>
            <ul><Answer label="A message" decision={a.text} /><Answer label="A template" decision={a.template} /></ul>
          </div>
        ))}
      </section>
      <section aria-labelledby="h-messages">
        <h2 id="h-messages">Messages</h2>
        {v.messages.length === 0 ? <p>No messages yet.</p> : (
          <div class="table-wrap">
            <table>
              <thead><tr><th scope="col">Time</th><th scope="col">Channel</th><th scope="col">Direction</th><th scope="col">Message</th><th scope="col">Status</th></tr></thead>
              <tbody>
                {v.messages.map((m) => (
                  <tr><td><Time at={m.sentAt} /></td><td>{CHANNEL_NAMES[m.channel]}</td><td>{m.direction === 'inbound' ? 'From them' : 'From us'}</td><td>{m.text ?? `(${m.type})`}</td><td>{m.status ?? ''}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {v.olderMessages !== null && <p><a href={`/console/contacts/${c.id}?messages=${encodeURIComponent(v.olderMessages)}`}>Older messages</a></p>}
      </section>
      <section aria-labelledby="h-history" id="history">
        <h2 id="h-history">History</h2>
        <ol class="timeline">
          {v.history.map((h) => (
            <li>
              <p><strong>{`${KIND_NAMES[h.kind]} ${DOOR_NAMES[h.source]}`}</strong>{' · '}<Time at={h.at} />{` · ${h.actorId === null ? 'no user' : userName(v.users, h.actorId, 'a former user')}`}</p>
              {h.changes !== undefined && Object.keys(h.changes).length > 0 && (
                <div class="table-wrap"><table>
                  <thead><tr><th scope="col">Field</th><th scope="col">Was</th><th scope="col">Now</th></tr></thead>
                  <tbody>{Object.entries(h.changes).map(([field, change]) => <tr><td>{field}</td><td>{shown(v.users, field, change.from)}</td><td>{shown(v.users, field, change.to)}</td></tr>)}</tbody>
                </table></div>
              )}
            </li>
          ))}
        </ol>
      </section>
    </Page>
  )
}
