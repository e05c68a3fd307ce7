import { createClient } from 'redis'
import type { Logger } from 'pino'
import type { RedisProbe } from './deps.ts'

const PING_TIMEOUT_MS = 500

export type ClosableRedisProbe = RedisProbe & { close(): Promise<void> }

/** Health of the optional Redis. A Redis that is down must never take the gateway down with it. */
export function redisProbe(url: string | undefined, logger: Logger): ClosableRedisProbe {
  if (url === undefined) return { status: async () => 'memory', close: async () => {} }
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5000), connectTimeout: 2000 } })
  let lastError = ''
  client.on('error', (err: Error) => {
    // A dead Redis errors on every reconnect attempt; log each distinct failure once.
    if (err.message !== lastError) logger.warn({ err: { message: err.message } }, 'redis error')
    lastError = err.message
  })
  client.on('ready', () => { lastError = '' })
  const connecting = client.connect().catch(() => undefined)
  return {
    async status() {
      await Promise.race([connecting, new Promise((r) => setTimeout(r, PING_TIMEOUT_MS))])
      if (!client.isReady) return 'down'
      try {
        const pong = await Promise.race([client.ping(), new Promise<string>((_, reject) => setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS))])
        return pong === 'PONG' ? 'up' : 'down'
      } catch {
        return 'down'
      }
    },
    async close() {
      // quit() waits for a connection that may never come back; a client that is not ready is just dropped.
      if (client.isReady) await client.quit().catch(() => client.destroy())
      else if (client.isOpen) client.destroy()
    },
  }
}
