import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'

export type GraphRequest = { method: string; path: string; authorization: string | undefined; body: Record<string, unknown> }
type Reply = { status: number; body: unknown }

/**
 * A local stand-in for Meta's Graph API on 127.0.0.1: real HTTP, Meta's request and response JSON. Answers
 * success by default; queued replies (errors, 5xx) are used first, one per request.
 */
export async function startFakeGraph() {
  const requests: GraphRequest[] = []
  const queued: Reply[] = []
  let counter = 0
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = ''
    req.on('data', (chunk: Buffer) => { raw += chunk.toString() })
    req.on('end', () => {
      const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>)
      const path = (req.url ?? '').replace(/^\/v21\.0/, '')
      requests.push({ method: req.method ?? '', path, authorization: req.headers.authorization, body })
      const reply = queued.shift() ?? success(path, body)
      res.writeHead(reply.status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(reply.body))
    })
  })
  function success(path: string, body: Record<string, unknown>): Reply {
    counter++
    if (path.endsWith('/messages') && body.messaging_product === 'whatsapp') {
      return { status: 200, body: { messaging_product: 'whatsapp', contacts: [{ input: body.to, wa_id: body.to }], messages: [{ id: `wamid.FAKE${counter}` }] } }
    }
    return { status: 200, body: { recipient_id: (body.recipient as { id?: string } | undefined)?.id, message_id: `m_FAKE${counter}` } }
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    base: `http://127.0.0.1:${port}/v21.0`,
    requests,
    /** Meta's error body: {"error": {"message", "type", "code", "error_subcode"?, "fbtrace_id"}}. */
    failWith(status: number, code: number, message: string, subcode?: number) {
      queued.push({ status, body: { error: { message, type: 'OAuthException', code, ...(subcode === undefined ? {} : { error_subcode: subcode }), fbtrace_id: 'AbCdEf' } } })
    },
    serverError(times: number) {
      for (let i = 0; i < times; i++) queued.push({ status: 503, body: { error: { message: 'Service temporarily unavailable', type: 'OAuthException', code: 2, is_transient: true } } })
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
