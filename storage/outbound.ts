import type { ContactIssue, Preference } from '../domain/contact.ts'
import type { ContactForSend, SendChannel } from '../domain/preference.ts'
import type { Queryable, Sql } from './sql.ts'

export type SendTarget = {
  contactId: string
  forCheck: ContactForSend
  mobile: string | null
  /** The contact's id per channel (the raw wa_id on WhatsApp, as replies must use it). */
  identities: Partial<Record<SendChannel, string>>
  /** The business account the contact last wrote to, per channel: replies go out from there. */
  lastInboundAccount: Partial<Record<SendChannel, string>>
}

type Row = {
  id: string; active: boolean; preference: Preference; mobile: string | null; issues: ContactIssue[]; marketing_opt_out: boolean
  identities: { channel: SendChannel; externalId: string }[] | null
  windows: { channel: SendChannel; at: string; account: string }[] | null
}

const SEND_TARGET_COLUMNS = (sql: Queryable) => sql`
  c.id, c.active, c.preference, c.mobile, c.issues, c.marketing_opt_out,
  (select json_agg(json_build_object('channel', i.channel, 'externalId', i.external_id) order by i.created_at)
     from identities i where i.contact_id = c.id and i.channel in ('whatsapp', 'instagram', 'messenger')) as identities,
  (select json_agg(json_build_object('channel', w.channel, 'at', w.last_inbound_at, 'account', w.last_inbound_account))
     from contact_channels w where w.contact_id = c.id) as windows`

/** Everything a send decision and a send need about one contact, in one query. */
export async function loadSendTarget(sql: Queryable, contactId: string): Promise<SendTarget | null> {
  const [row] = await sql<Row[]>`select ${SEND_TARGET_COLUMNS(sql)} from contacts c where c.id = ${contactId}`
  return row === undefined ? null : sendTargetOf(row)
}

/** The same for many contacts in one query (absent ids are absent from the map). */
export async function loadSendTargets(sql: Queryable, contactIds: readonly string[]): Promise<Map<string, SendTarget>> {
  const rows = await sql<Row[]>`select ${SEND_TARGET_COLUMNS(sql)} from contacts c where c.id = any(${contactIds as string[]}::uuid[])`
  return new Map(rows.map((row) => [row.id, sendTargetOf(row)]))
}

function sendTargetOf(row: Row): SendTarget {
  const identities: Partial<Record<SendChannel, string>> = {}
  // The phone-number id (wa_id) comes before a business-scoped id: both reach the person, the first is stable.
  for (const i of row.identities ?? []) if (identities[i.channel] === undefined || /^\d+$/.test(i.externalId)) identities[i.channel] = i.externalId
  const lastInboundAt: Partial<Record<SendChannel, Date>> = {}
  const lastInboundAccount: Partial<Record<SendChannel, string>> = {}
  for (const w of row.windows ?? []) {
    lastInboundAt[w.channel] = new Date(w.at)
    lastInboundAccount[w.channel] = w.account
  }
  return {
    contactId: row.id,
    mobile: row.mobile,
    identities,
    lastInboundAccount,
    forCheck: {
      active: row.active,
      preference: row.preference,
      hasMobile: row.mobile !== null,
      missingCountryCode: row.issues.some((i) => i.code === 'missing_country_code'),
      marketingOptOut: row.marketing_opt_out,
      identityChannels: Object.keys(identities) as SendChannel[],
      lastInboundAt,
    },
  }
}

export type OutboundDraft = { id: string; channel: SendChannel; contactId: string; accountId: string; type: string; text: string | null; raw: unknown; at: Date }

/** The message is on record before it leaves, so a crash mid-send never loses what was attempted. */
export async function insertQueuedMessage(sql: Queryable, d: OutboundDraft): Promise<void> {
  await sql`insert into messages ${sql({
    id: d.id, channel: d.channel, external_id: `pending:${d.id}`, direction: 'outbound', contact_id: d.contactId, account_id: d.accountId,
    type: d.type, text: d.text, raw: sql.json(d.raw as Parameters<typeof sql.json>[0]), status: 'queued', sent_at: d.at,
  })}`
}

export async function markMessageSent(sql: Queryable, id: string, externalId: string, at: Date): Promise<void> {
  await sql`update messages set external_id = ${externalId}, status = 'sent', status_at = ${at} where id = ${id} and status = 'queued'`
}

export async function markMessageFailed(sql: Queryable, id: string, error: { code: number | null; title: string | null; message: string | null }, at: Date): Promise<void> {
  await sql`update messages set status = 'failed', status_at = ${at}, error = ${sql.json(error)} where id = ${id}`
}

