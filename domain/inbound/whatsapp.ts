import type { Message as WhatsAppMessage } from 'whatsapp-cloud-api-types'
import { whatsappMobile } from '../whatsapp-number.ts'
import type { DeliveryStatus, InboundEvent, InboundMessage, Sender, StatusError } from './events.ts'
import { arr, isStopKeyword, obj, str, timestamp, type Json } from './read.ts'

const STATUSES = new Set<DeliveryStatus>(['sent', 'delivered', 'read', 'played', 'failed', 'deleted'])

type ProfileIndex = { byWaId: Map<string, Json>; byUserId: Map<string, Json> }

function indexContacts(value: Json): ProfileIndex {
  const byWaId = new Map<string, Json>()
  const byUserId = new Map<string, Json>()
  for (const c of arr(value.contacts).map(obj)) {
    if (c === undefined) continue
    const waId = str(c.wa_id)
    const userId = str(c.user_id)
    if (waId !== undefined) byWaId.set(waId, c)
    if (userId !== undefined) byUserId.set(userId, c)
  }
  return { byWaId, byUserId }
}

/**
 * The person behind a wa_id and/or a business-scoped user id. Contacts are matched to messages by id, never by
 * array position: a batch may list contacts in any order, and status batches may list some without a profile.
 */
function sender(waId: string | undefined, userId: string | undefined, profiles: ProfileIndex): Sender | null {
  const profile = (waId !== undefined ? profiles.byWaId.get(waId) : undefined) ?? (userId !== undefined ? profiles.byUserId.get(userId) : undefined)
  const resolvedUserId = userId ?? str(profile?.user_id)
  const externalIds = [waId, resolvedUserId].filter((id): id is string => id !== undefined)
  if (externalIds.length === 0) return null
  const name = str(obj(profile?.profile)?.name)?.trim() ?? null
  return { externalIds, mobile: waId === undefined ? null : whatsappMobile(waId), name: name === '' ? null : name }
}

/**
 * The documented shape (whatsapp-cloud-api-types) names the fields; every read still goes through str(), since
 * real traffic does not always match it.
 */
type Documented = Partial<Pick<WhatsAppMessage, 'text' | 'button' | 'interactive' | 'image' | 'video' | 'document' | 'reaction' | 'location'>>

function messageText(m: Json): string | null {
  const d = m as Documented
  switch (str(m.type)) {
    case 'text':
      return str(d.text?.body) ?? null
    case 'button':
      return str(d.button?.text) ?? str(d.button?.payload) ?? null
    case 'interactive': {
      const reply = obj(d.interactive?.button_reply) ?? obj(d.interactive?.list_reply) ?? obj(obj(m.interactive)?.nfm_reply)
      return str(reply?.title) ?? str(reply?.body) ?? null
    }
    case 'image':
      return str(d.image?.caption) ?? null
    case 'video':
      return str(d.video?.caption) ?? null
    case 'document':
      return str(d.document?.caption) ?? null
    case 'reaction':
      return str(d.reaction?.emoji) ?? null
    case 'location':
      return [str(d.location?.name), str(d.location?.address)].filter((s) => s !== undefined).join(', ') || null
    default:
      return null
  }
}

function message(m: Json, fallback: Date): InboundMessage | null {
  const id = str(m.id)
  if (id === undefined) return null
  return { externalId: id, type: str(m.type) ?? 'unknown', text: messageText(m), sentAt: timestamp(m.timestamp, 's', fallback), raw: m }
}

function statusError(s: Json): StatusError | null {
  const e = obj(arr(s.errors)[0])
  if (e === undefined) return null
  const code = typeof e.code === 'number' ? e.code : Number.parseInt(str(e.code) ?? '', 10)
  return { code: Number.isFinite(code) ? code : null, title: str(e.title) ?? null, message: str(e.message) ?? str(obj(e.error_data)?.details) ?? null }
}

function messagesValue(value: Json, receivedAt: Date): InboundEvent[] {
  const events: InboundEvent[] = []
  const accountId = str(obj(value.metadata)?.phone_number_id)
  const profiles = indexContacts(value)
  const ignore = (reason: string, detail: unknown) => events.push({ kind: 'ignored', channel: 'whatsapp', reason, detail })

  for (const raw of arr(value.messages)) {
    const m = obj(raw)
    const msg = m === undefined ? null : message(m, receivedAt)
    if (m === undefined || msg === null || accountId === undefined) { ignore('message without id or phone_number_id', raw); continue }
    const from = sender(str(m.from), str(m.from_user_id), profiles)
    if (from === null) { ignore('message without a sender', raw); continue }
    const system = obj(m.system)
    if (msg.type === 'system' && str(system?.type) === 'user_changed_number') {
      // The system object names the new wa_id and, with business-scoped user ids, the new user_id and the previous one.
      const newWaId = str(system?.new_wa_id) ?? str(system?.wa_id)
      const to = sender(newWaId, str(system?.user_id), profiles)
      if (to === null) { ignore('user_changed_number without the new number', raw); continue }
      const previousUserId = str(system?.previous_user_id)
      const old = previousUserId === undefined || from.externalIds.includes(previousUserId) ? from : { ...from, externalIds: [...from.externalIds, previousUserId] }
      events.push({ kind: 'number_changed', channel: 'whatsapp', accountId, from: old, to: { ...to, name: to.name ?? from.name }, message: { ...msg, text: str(system?.body) ?? null } })
      continue
    }
    events.push({ kind: 'message', channel: 'whatsapp', accountId, sender: from, message: msg, stopKeyword: msg.type === 'text' && isStopKeyword(msg.text) })
  }

  for (const raw of arr(value.statuses)) {
    const s = obj(raw)
    const id = str(s?.id)
    const status = str(s?.status) as DeliveryStatus | undefined
    if (s === undefined || id === undefined || status === undefined || !STATUSES.has(status)) { ignore('status not understood', raw); continue }
    events.push({ kind: 'status', channel: 'whatsapp', messageId: id, status, at: timestamp(s.timestamp, 's', receivedAt), error: statusError(s) })
  }

  for (const raw of arr(value.user_preferences)) {
    const p = obj(raw)
    const who = p === undefined ? null : sender(str(p.wa_id), str(p.user_id), profiles)
    const pref = str(p?.value)
    if (p === undefined || who === null || accountId === undefined || (pref !== 'stop' && pref !== 'resume') || str(p.category) !== 'marketing_messages') {
      ignore('user preference not understood', raw)
      continue
    }
    const at = timestamp(p.timestamp, 's', receivedAt)
    events.push({
      kind: 'marketing_preference', channel: 'whatsapp', accountId, sender: who, value: pref, detail: str(p.detail) ?? null, at,
      externalId: `${who.externalIds[0]}:${pref}:${str(p.timestamp) ?? at.toISOString()}`,
    })
  }

  for (const raw of arr(value.errors)) ignore('platform error', raw)
  return events
}

/** A WhatsApp Cloud API webhook payload → events. Never throws: what it cannot read comes back as `ignored`. */
export function normalizeWhatsApp(payload: unknown, receivedAt: Date): InboundEvent[] {
  const root = obj(payload)
  if (root === undefined) return [{ kind: 'ignored', channel: 'whatsapp', reason: 'payload is not an object', detail: payload }]
  const events: InboundEvent[] = []
  for (const entry of arr(root.entry).map(obj)) {
    for (const change of arr(entry?.changes).map(obj)) {
      const value = obj(change?.value)
      if (str(change?.field) !== 'messages' || value === undefined) {
        events.push({ kind: 'ignored', channel: 'whatsapp', reason: `field ${str(change?.field) ?? '(none)'} not handled`, detail: change })
        continue
      }
      events.push(...messagesValue(value, receivedAt))
    }
  }
  return events
}
