import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import busboy from 'busboy'

export type TelegramCall = { method: string; params: Record<string, unknown>; files: Record<string, { name: string; content: string }> }

export const BOT_TOKEN = '123456:TEST-token-for-the-fake-bot-api'

/**
 * A local stand-in for Telegram's Bot API on 127.0.0.1: `POST /bot<token>/<method>` with JSON or multipart
 * bodies (as grammY sends them) answered with `{"ok": true, "result": …}`, and `GET /file/bot<token>/<path>`
 * serving the documents registered with `addFile`.
 */
export async function startFakeTelegram() {
  const calls: TelegramCall[] = []
  const files = new Map<string, { path: string; content: Uint8Array }>()
  let messageId = 100

  function result(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return { id: 42, is_bot: true, first_name: 'Contact Gateway', username: 'contact_gateway_bot', can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false }
      case 'getFile': {
        const f = files.get(String(params.file_id))
        return f === undefined ? null : { file_id: params.file_id, file_unique_id: `u${String(params.file_id)}`, file_size: f.content.length, file_path: f.path }
      }
      case 'answerCallbackQuery':
        return true
      default:
        return { message_id: messageId++, date: 1_700_000_000, chat: { id: Number(params.chat_id), type: 'private' }, text: params.text }
    }
  }

  function answer(res: ServerResponse, method: string, params: Record<string, unknown>) {
    const value = result(method, params)
    if (value === null) {
      res.writeHead(400, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: false, error_code: 400, description: 'Bad Request: invalid file_id' }))
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ ok: true, result: value }))
  }

  // Calls held open until released (a Bot API that does not answer), and calls refused with 502, by method.
  let holding = false
  const held: (() => void)[] = []
  const refusals: { method: string; times: number; matching: (params: Record<string, unknown>) => boolean }[] = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (holding) {
      held.push(() => serve(req, res))
      return
    }
    serve(req, res)
  })
  function serve(req: IncomingMessage, res: ServerResponse) {
    const url = req.url ?? ''
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url)
    if (req.method === 'GET' && file !== null) {
      const found = file[1] === BOT_TOKEN ? [...files.values()].find((f) => f.path === file[2]) : undefined
      res.writeHead(found === undefined ? 404 : 200)
      res.end(found?.content)
      return
    }
    const call = /^\/bot([^/]+)\/(\w+)$/.exec(url)
    if (call === null || call[1] !== BOT_TOKEN) {
      res.writeHead(404, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ ok: false, error_code: 404, description: 'Not Found' }))
      return
    }
    const method = call[2] ?? ''
    const contentType = req.headers['content-type'] ?? ''
    if (contentType.startsWith('multipart/form-data')) {
      const params: Record<string, unknown> = {}
      const uploaded: TelegramCall['files'] = {}
      const parser = busboy({ headers: req.headers })
      parser.on('field', (name, value) => { params[name] = value })
      parser.on('file', (name, stream, info) => {
        const chunks: Buffer[] = []
        stream.on('data', (c: Buffer) => chunks.push(c))
        stream.on('end', () => { uploaded[name] = { name: info.filename ?? '', content: Buffer.concat(chunks).toString('utf8') } })
      })
      parser.on('close', () => {
        // grammY sends a file as its own part and the parameter as "attach://<part name>".
        for (const [key, value] of Object.entries(params)) {
          const attached = typeof value === 'string' ? /^attach:\/\/(.+)$/.exec(value)?.[1] : undefined
          const part = attached === undefined ? undefined : uploaded[attached]
          if (part !== undefined) uploaded[key] = part
        }
        calls.push({ method, params, files: uploaded })
        answer(res, method, params)
      })
      req.pipe(parser)
      return
    }
    let raw = ''
    req.on('data', (c: Buffer) => { raw += c.toString() })
    req.on('end', () => {
      const params = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>)
      const refusal = refusals.find((r) => r.method === method && r.times > 0 && r.matching(params))
      if (refusal !== undefined) {
        refusal.times--
        res.writeHead(502, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ ok: false, error_code: 502, description: 'Bad Gateway' }))
        return
      }
      calls.push({ method, params, files: {} })
      answer(res, method, params)
    })
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    addFile(fileId: string, content: string | Uint8Array) {
      files.set(fileId, { path: `documents/${fileId}.csv`, content: typeof content === 'string' ? new TextEncoder().encode(content) : content })
    },
    sent(chatId: number): string[] {
      return calls.filter((c) => (c.method === 'sendMessage' || c.method === 'editMessageText') && Number(c.params.chat_id) === chatId).map((c) => String(c.params.text))
    },
    /** Holds every call open until the returned function is called, which answers them. */
    hold(): () => void {
      holding = true
      return () => {
        holding = false
        for (const go of held.splice(0)) go()
      }
    },
    held: () => held.length,
    /** The next `times` JSON calls of `method` (that `matching` picks) are refused with 502, as a Bot API having trouble answers. */
    refuse(method: string, times: number, matching: (params: Record<string, unknown>) => boolean = () => true) {
      refusals.push({ method, times, matching })
    },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}
