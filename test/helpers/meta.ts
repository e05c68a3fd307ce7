import { createHmac } from 'node:crypto'

/** Builders for webhook payloads in the shapes Meta documents; ids and timestamps are the caller's. */
export const APP_SECRET = 'test-meta-app-secret'
export const VERIFY_TOKEN = 'test-verify-token'

export function sign(body: string, secret = APP_SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`
}

type WaContact = { wa_id?: string; user_id?: string; username?: string; profile?: { name?: string } }

export function waPayload(phoneNumberId: string, value: Record<string, unknown>) {
  return {
    object: 'whatsapp_business_account',
    entry: [{ id: 'WABA_1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: phoneNumberId }, ...value } }] }],
  }
}

export function waText(o: { phoneNumberId?: string; waId: string; name?: string; id: string; text: string; ts?: number; contacts?: WaContact[] }) {
  return waPayload(o.phoneNumberId ?? 'PNID_1', {
    contacts: o.contacts ?? [{ profile: o.name === undefined ? {} : { name: o.name }, wa_id: o.waId }],
    messages: [{ from: o.waId, id: o.id, timestamp: String(o.ts ?? 1_763_900_000), type: 'text', text: { body: o.text } }],
  })
}

export function waStatus(o: { id: string; status: string; recipient: string; ts?: number; errors?: unknown[]; contacts?: WaContact[] }) {
  return waPayload('PNID_1', {
    ...(o.contacts === undefined ? {} : { contacts: o.contacts }),
    statuses: [{ id: o.id, status: o.status, timestamp: String(o.ts ?? 1_763_900_100), recipient_id: o.recipient, ...(o.errors === undefined ? {} : { errors: o.errors }) }],
  })
}

export function messaging(object: 'page' | 'instagram', accountId: string, events: Record<string, unknown>[]) {
  return { object, entry: [{ id: accountId, time: 1_763_900_000_000, messaging: events }] }
}

export function textEvent(o: { from: string; to: string; mid: string; text: string; ts?: number; echo?: boolean }) {
  return { sender: { id: o.from }, recipient: { id: o.to }, timestamp: o.ts ?? 1_763_900_000_000, message: { mid: o.mid, text: o.text, ...(o.echo === true ? { is_echo: true } : {}) } }
}
