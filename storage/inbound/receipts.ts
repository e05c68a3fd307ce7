import type { InboundEvent } from '../../domain/inbound/events.ts'
import type { Recorded } from '../../domain/inbound/plan.ts'
import { DELIVERY_ORDER } from '../../domain/routing.ts'
import type { Queryable } from '../sql.ts'

type StatusEvent = Extract<InboundEvent, { kind: 'status' }>
type EchoEvent = Extract<InboundEvent, { kind: 'echo' }>

/** A receipt moves an outbound message's status forward; it never creates anything. */
export async function applyDeliveryStatus(sql: Queryable, e: StatusEvent): Promise<boolean> {
  const order = [...DELIVERY_ORDER]
  const rows = await sql`
    update messages set status = ${e.status}, status_at = ${e.at}, error = ${e.error === null ? null : sql.json(e.error)}
    where channel = ${e.channel} and external_id = ${e.messageId} and direction = 'outbound'
      and coalesce(array_position(${order}::text[], status), 0) < array_position(${order}::text[], ${e.status}::text)
    returning id`
  return rows.length === 1
}

/** Our own message echoed back: stored as outbound against the recipient if we know them; never a new contact. */
export async function recordEcho(sql: Queryable, e: EchoEvent, newId: () => string): Promise<Recorded> {
  const rows = await sql`
    insert into messages (id, channel, external_id, direction, contact_id, account_id, type, text, raw, status, sent_at)
    select ${newId()}, ${e.channel}, ${e.message.externalId}, 'outbound',
           (select contact_id from identities where channel = ${e.channel} and external_id = ${e.recipientId}),
           ${e.accountId}, ${e.message.type}, ${e.message.text}, ${sql.json(e.message.raw as Parameters<typeof sql.json>[0])}, 'sent', ${e.message.sentAt}
    on conflict (channel, external_id) do nothing returning id`
  return rows.length === 1 ? 'stored' : 'duplicate'
}
