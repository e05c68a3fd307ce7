import { checkSend, type SendChannel, type SendDecision, type TemplateCategory } from '../../domain/preference.ts'
import { insertQueuedMessage, loadSendTarget, markMessageFailed, markMessageSent, type SendTarget } from '../../storage/outbound.ts'
import type { Deps } from '../deps.ts'
import { sendMessengerPlatform, sendWhatsApp, type GraphError, type GraphOptions, type GraphOutcome } from '../clients/graph.ts'
import { AppError, rateLimited } from './errors.ts'

export type CheckInput = { contactId: string; channel: SendChannel; kind: 'text' | 'template'; templateCategory?: TemplateCategory | undefined; humanAgent?: boolean | undefined }

export async function checkOutbound(deps: Deps, input: CheckInput): Promise<SendDecision> {
  const target = await deps.sendTargets.load(input.contactId)
  if (target === null) throw new AppError('not_found', 'No such contact.')
  return checkSend(target.forCheck, input, deps.now())
}

export type Template = { name: string; language: string; category?: TemplateCategory | undefined; components?: unknown[] | undefined }
export type SendInput = { contactId: string; channel: SendChannel; text?: string | undefined; template?: Template | undefined; humanAgent?: boolean | undefined }
export type SendResult = { id: string; channel: SendChannel; externalId: string; status: 'sent' }

/** Meta's error codes, as the errors a person can act on. */
export function graphFailure(error: GraphError): AppError {
  const details = { graphCode: error.code, graphSubcode: error.subcode, graphMessage: error.message }
  switch (error.code) {
    case 131047:
      return new AppError('reengagement_required', 'More than 24 hours have passed since the contact last wrote; only a template can be sent.', details)
    case 131026:
      return new AppError('undeliverable', 'WhatsApp could not deliver to this number (not on WhatsApp, old app version, or it blocked us).', details)
    case 131056:
      return new AppError('pair_rate_limited', 'Too many messages to this contact from this number in a short time; wait before sending again.', details, { retryAfterSeconds: 60 })
    case 100:
      return new AppError('invalid_parameter', `Meta rejected a parameter: ${error.message}`, details)
    case 190:
      return new AppError('access_token_invalid', 'The Meta access token has expired or was revoked; renew it.', details)
    case 10:
    case 2018278:
      return new AppError('outside_messaging_window', 'Meta refused the message as outside the allowed messaging window.', details)
  }
  if (error.subcode === 2018278) return new AppError('outside_messaging_window', 'Meta refused the message as outside the allowed messaging window.', details)
  return new AppError('graph_error', `Meta refused the message: ${error.message}`, details)
}

function sender(deps: Deps, target: SendTarget, channel: SendChannel): { account: string; to: string; token: string } {
  const { meta } = deps.config
  if (channel === 'whatsapp') {
    if (meta.whatsappAccessToken === undefined) throw new AppError('not_configured', 'WHATSAPP_ACCESS_TOKEN is not set; WhatsApp sends are off.')
    // A reply goes from the number the contact wrote to; a new conversation from the configured number.
    const account = target.lastInboundAccount.whatsapp ?? meta.whatsappPhoneNumberId
    if (account === undefined) throw new AppError('not_configured', 'WHATSAPP_PHONE_NUMBER_ID is not set, so only replies to contacts who wrote to us can be sent.')
    const to = target.identities.whatsapp ?? target.mobile?.replace(/^\+/, '')
    if (to === undefined) throw new AppError('no_channel_identity', 'The contact has neither a WhatsApp id nor a mobile number.')
    return { account, to, token: meta.whatsappAccessToken }
  }
  if (meta.pageAccessToken === undefined) throw new AppError('not_configured', 'META_PAGE_ACCESS_TOKEN is not set; Messenger and Instagram sends are off.')
  const to = target.identities[channel]
  if (to === undefined) throw new AppError('no_channel_identity', 'The contact has no id on this channel.')
  return { account: target.lastInboundAccount[channel] ?? 'me', to, token: meta.pageAccessToken }
}

/**
 * Checks the preference policy, then sends through the Graph API and records the message (queued → sent, or
 * failed with Meta's error). A refused send makes no HTTP call at all.
 */
export async function sendOutbound(deps: Deps, input: SendInput): Promise<SendResult> {
  const target = await loadSendTarget(deps.sql, input.contactId)
  if (target === null) throw new AppError('not_found', 'No such contact.')
  if (input.template !== undefined && input.channel !== 'whatsapp') throw new AppError('invalid_parameter', 'Templates exist only on WhatsApp; send text on Messenger and Instagram.')
  const kind = input.template === undefined ? 'text' : 'template'
  const decision = checkSend(target.forCheck, { channel: input.channel, kind, templateCategory: input.template?.category, humanAgent: input.humanAgent }, deps.now())
  if (!decision.allowed) throw new AppError(decision.reason, decision.message, { reason: decision.reason })
  const from = sender(deps, target, input.channel)
  const rate = await deps.limiter.hit({ name: 'send-per-number', limit: deps.config.limits.sendsPerSecondPerNumber, windowSeconds: 1 }, `${input.channel}:${from.account}`)
  if (!rate.allowed) throw rateLimited(rate.retryAfterSeconds, 'messages from this number')

  const id = deps.newId()
  const raw = input.template === undefined ? { text: input.text } : { template: input.template }
  await insertQueuedMessage(deps.sql, { id, channel: input.channel, contactId: target.contactId, accountId: from.account, type: kind, text: input.text ?? input.template?.name ?? null, raw, at: deps.now() })
  const options: GraphOptions = { base: deps.config.meta.graphApiBase, token: from.token, sleep: deps.sleep }
  let outcome: GraphOutcome
  if (input.channel === 'whatsapp') {
    const content = input.template === undefined
      ? { type: 'text' as const, text: input.text ?? '' }
      : { type: 'template' as const, name: input.template.name, language: input.template.language, components: input.template.components }
    outcome = await sendWhatsApp(from.account, from.to, content, options)
  } else {
    outcome = await sendMessengerPlatform(from.to, input.text ?? '', decision.reason === 'human_agent_tag', options)
  }
  if (outcome.ok) {
    await markMessageSent(deps.sql, id, outcome.messageId, deps.now())
    return { id, channel: input.channel, externalId: outcome.messageId, status: 'sent' }
  }
  if (outcome.kind === 'rejected') {
    await markMessageFailed(deps.sql, id, { code: outcome.error.code, title: outcome.error.type, message: outcome.error.message }, deps.now())
    throw graphFailure(outcome.error)
  }
  await markMessageFailed(deps.sql, id, { code: null, title: 'unavailable', message: outcome.detail }, deps.now())
  throw new AppError('upstream_unavailable', `${outcome.detail}; the message was not sent. Retry later with the same Idempotency-Key.`)
}
