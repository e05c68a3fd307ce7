import type { InboundEvent, InboundMessage } from './events.ts'
import { arr, isStopKeyword, obj, str, timestamp, type Json } from './read.ts'

function messageType(message: Json): string {
  const attachment = obj(arr(message.attachments)[0])
  if (attachment !== undefined) return str(attachment.type) ?? 'attachment'
  if (obj(message.quick_reply) !== undefined) return 'quick_reply'
  return str(message.text) !== undefined ? 'text' : 'unknown'
}

/**
 * Messenger and Instagram share the Messenger Platform's shape: `entry[].messaging[]` with sender and recipient
 * ids (PSIDs / IGSIDs). https://developers.facebook.com/docs/messenger-platform/webhooks
 */
export function normalizeMessagingPlatform(channel: 'instagram' | 'messenger', payload: unknown, receivedAt: Date): InboundEvent[] {
  const root = obj(payload)
  if (root === undefined) return [{ kind: 'ignored', channel, reason: 'payload is not an object', detail: payload }]
  const events: InboundEvent[] = []
  const ignore = (reason: string, detail: unknown) => events.push({ kind: 'ignored', channel, reason, detail })
  for (const entry of arr(root.entry).map(obj)) {
    const ownId = str(entry?.id)
    if (entry === undefined) continue
    if (arr(entry.messaging).length === 0 && entry.changes !== undefined) ignore('changes (comments, mentions) are not handled', entry.changes)
    for (const raw of arr(entry.messaging)) {
      const event = obj(raw)
      const senderId = str(obj(event?.sender)?.id)
      const recipientId = str(obj(event?.recipient)?.id)
      if (event === undefined || senderId === undefined || recipientId === undefined) { ignore('messaging event without sender or recipient', raw); continue }
      const sentAt = timestamp(event.timestamp, 'ms', receivedAt)
      const message = obj(event.message)
      const postback = obj(event.postback)
      if (message !== undefined) {
        const mid = str(message.mid)
        if (mid === undefined) { ignore('message without mid', raw); continue }
        const text = str(message.text) ?? null
        const msg: InboundMessage = { externalId: mid, type: messageType(message), text, sentAt, raw: event }
        // Our own sends come back as echoes; on Instagram some arrive without is_echo but from our own account.
        if (message.is_echo === true || senderId === ownId) {
          events.push({ kind: 'echo', channel, accountId: ownId ?? senderId, recipientId, message: msg })
        } else {
          events.push({ kind: 'message', channel, accountId: ownId ?? recipientId, sender: { externalIds: [senderId], mobile: null, name: null }, message: msg, stopKeyword: isStopKeyword(text) })
        }
      } else if (postback !== undefined) {
        // A tapped button opens a conversation exactly like a typed message.
        const mid = str(postback.mid) ?? `postback:${senderId}:${sentAt.getTime()}`
        const msg: InboundMessage = { externalId: mid, type: 'postback', text: str(postback.title) ?? str(postback.payload) ?? null, sentAt, raw: event }
        events.push({ kind: 'message', channel, accountId: ownId ?? recipientId, sender: { externalIds: [senderId], mobile: null, name: null }, message: msg, stopKeyword: false })
      } else {
        const what = ['read', 'delivery', 'reaction', 'optin', 'referral', 'message_edit'].find((k) => event[k] !== undefined) ?? 'unknown'
        ignore(`${what} event creates nothing`, raw)
      }
    }
  }
  return events
}
