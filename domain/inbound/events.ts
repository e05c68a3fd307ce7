export type InboundChannel = 'whatsapp' | 'instagram' | 'messenger'

export type Sender = {
  /** The ids this person has on the channel; the first is the one replies go to. */
  externalIds: string[]
  /** Canonical E.164 (WhatsApp only), with other spellings of the same subscriber for matching. */
  mobile: { e164: string; country: string | null; variants: string[] } | null
  name: string | null
}

export type InboundMessage = { externalId: string; type: string; text: string | null; sentAt: Date; raw: unknown }

export type DeliveryStatus = 'sent' | 'delivered' | 'read' | 'played' | 'failed' | 'deleted'
export type StatusError = { code: number | null; title: string | null; message: string | null }

export type InboundEvent =
  | { kind: 'message'; channel: InboundChannel; accountId: string; sender: Sender; message: InboundMessage; stopKeyword: boolean }
  /** A message our own account sent (from another tool, or Meta echoing ours): stored as outbound, no contact. */
  | { kind: 'echo'; channel: InboundChannel; accountId: string; recipientId: string; message: InboundMessage }
  | { kind: 'status'; channel: InboundChannel; messageId: string; status: DeliveryStatus; at: Date; error: StatusError | null }
  | { kind: 'number_changed'; channel: 'whatsapp'; accountId: string; from: Sender; to: Sender; message: InboundMessage }
  | { kind: 'marketing_preference'; channel: 'whatsapp'; accountId: string; sender: Sender; value: 'stop' | 'resume'; detail: string | null; at: Date; externalId: string }
  /** Things to log and not store: platform errors, receipts we do not track, shapes we do not understand. */
  | { kind: 'ignored'; channel: InboundChannel; reason: string; detail: unknown }
