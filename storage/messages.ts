import { timePage, type TimeCursor, type TimePage } from './pages.ts'
import type { Queryable } from './sql.ts'

export type StoredMessage = {
  id: string
  channel: 'whatsapp' | 'instagram' | 'messenger'
  direction: 'inbound' | 'outbound'
  type: string
  text?: string
  externalId: string
  sentAt: string
  status?: string
}

type MessageRow = { id: string; channel: StoredMessage['channel']; direction: StoredMessage['direction']; type: string; text: string | null; external_id: string; sent_at: Date; status: string | null }

/** A contact's messages, newest first. */
export async function listContactMessages(sql: Queryable, contactId: string, limit: number, after: TimeCursor | null): Promise<TimePage<StoredMessage>> {
  const rows = await sql<MessageRow[]>`
    select id, channel, direction, type, text, external_id, sent_at, status from messages
    where contact_id = ${contactId}
      ${after === null ? sql`` : sql`and (sent_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`}
    order by sent_at desc, id desc limit ${limit + 1}`
  return timePage(rows, limit, (r): StoredMessage => ({
    id: r.id, channel: r.channel, direction: r.direction, type: r.type, externalId: r.external_id, sentAt: r.sent_at.toISOString(),
    ...(r.text === null ? {} : { text: r.text }),
    ...(r.status === null ? {} : { status: r.status }),
  }), (r) => ({ at: r.sent_at.toISOString(), id: r.id }))
}
