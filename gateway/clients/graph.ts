/** A small client for Meta's Graph API send endpoints; fetch only, so it runs on Node and Workers alike. */
export type GraphError = { httpStatus: number; code: number | null; subcode: number | null; message: string; type: string | null }
export type GraphOutcome =
  | { ok: true; messageId: string }
  | { ok: false; kind: 'rejected'; error: GraphError }
  | { ok: false; kind: 'unavailable'; detail: string }

export type GraphOptions = { base: string; token: string; attempts?: number; timeoutMs?: number; backoffMs?: number; sleep?: (ms: number) => Promise<void> }

type Json = Record<string, unknown>

function readError(status: number, body: unknown): GraphError {
  const e = (typeof body === 'object' && body !== null ? (body as Json).error : undefined) as Json | undefined
  const num = (v: unknown) => (typeof v === 'number' ? v : null)
  return {
    httpStatus: status,
    code: num(e?.code),
    subcode: num(e?.error_subcode),
    message: typeof e?.message === 'string' ? e.message : `Graph API answered ${status}`,
    type: typeof e?.type === 'string' ? e.type : null,
  }
}

/**
 * POSTs JSON with the access token as a bearer header. Network errors, timeouts and 5xx answers are retried with
 * exponential backoff (bounded attempts); 4xx answers are Meta saying no and come back at once.
 */
export async function postGraph(path: string, body: unknown, options: GraphOptions): Promise<{ ok: true; json: Json } | { ok: false; kind: 'rejected'; error: GraphError } | { ok: false; kind: 'unavailable'; detail: string }> {
  const attempts = options.attempts ?? 3
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
  let detail = ''
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const res = await fetch(`${options.base}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      })
      const json = (await res.json().catch(() => ({}))) as Json
      if (res.ok) return { ok: true, json }
      if (res.status < 500) return { ok: false, kind: 'rejected', error: readError(res.status, json) }
      detail = `Graph API answered ${res.status}`
    } catch (err) {
      detail = (err as Error).name === 'TimeoutError' ? 'Graph API did not answer in time' : `Graph API unreachable: ${(err as Error).message}`
    }
    if (attempt < attempts) await sleep((options.backoffMs ?? 200) * 2 ** (attempt - 1))
  }
  return { ok: false, kind: 'unavailable', detail }
}

export type WhatsAppContent =
  | { type: 'text'; text: string }
  | { type: 'template'; name: string; language: string; components?: unknown[] | undefined }

/** https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages */
export async function sendWhatsApp(fromPhoneNumberId: string, to: string, content: WhatsAppContent, options: GraphOptions): Promise<GraphOutcome> {
  const message = content.type === 'text'
    ? { type: 'text', text: { body: content.text, preview_url: false } }
    : { type: 'template', template: { name: content.name, language: { code: content.language }, ...(content.components === undefined ? {} : { components: content.components }) } }
  const r = await postGraph(`/${encodeURIComponent(fromPhoneNumberId)}/messages`, { messaging_product: 'whatsapp', recipient_type: 'individual', to, ...message }, options)
  if (!r.ok) return r
  const id = ((r.json.messages as Json[] | undefined)?.[0] as Json | undefined)?.id
  return typeof id === 'string' ? { ok: true, messageId: id } : { ok: false, kind: 'unavailable', detail: 'Graph API answered without a message id' }
}

/** Messenger and Instagram Send API. https://developers.facebook.com/docs/messenger-platform/reference/send-api */
export async function sendMessengerPlatform(recipientId: string, text: string, humanAgent: boolean, options: GraphOptions): Promise<GraphOutcome> {
  const body = { recipient: { id: recipientId }, messaging_type: humanAgent ? 'MESSAGE_TAG' : 'RESPONSE', ...(humanAgent ? { tag: 'HUMAN_AGENT' } : {}), message: { text } }
  const r = await postGraph('/me/messages', body, options)
  if (!r.ok) return r
  const id = r.json.message_id
  return typeof id === 'string' ? { ok: true, messageId: id } : { ok: false, kind: 'unavailable', detail: 'Send API answered without a message id' }
}
