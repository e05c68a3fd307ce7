import type { Logger } from 'pino'
import { createClient } from 'redis'
import type { RedisProbe } from '../deps.ts'

const PING_TIMEOUT_MS = 500

function createRedisClient(url: string) {
  return createClient({ url, disableOfflineQueue: true, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5000), connectTimeout: 2000 } })
}

export type RedisClient = ReturnType<typeof createRedisClient>
export type RedisConnection = { client: RedisClient | null; probe: RedisProbe; close(): Promise<void> }

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))])
}

/**
 * The optional Redis. Commands fail at once while it is unreachable (no offline queue), so a Redis outage slows
 * nothing down: callers fall back and /healthz reports it.
 */
export function connectRedis(url: string | undefined, logger: Logger): RedisConnection {
  if (url === undefined) return { client: null, probe: { status: async () => 'memory' }, close: async () => {} }
  const client = createRedisClient(url)
  let lastError = ''
  client.on('error', (err: Error) => {
    // A dead Redis errors on every reconnect attempt; log each distinct failure once.
    if (err.message !== lastError) logger.warn({ err: { message: err.message } }, 'redis error')
    lastError = err.message
  })
  client.on('ready', () => { lastError = '' })
  const connecting = client.connect().catch(() => undefined)
  return {
    client,
    probe: {
      async status() {
        await Promise.race([connecting, new Promise((r) => setTimeout(r, PING_TIMEOUT_MS))])
        if (!client.isReady) return 'down'
        try {
          return (await withTimeout(client.ping(), PING_TIMEOUT_MS)) === 'PONG' ? 'up' : 'down'
        } catch {
          return 'down'
        }
      },
    },
    async close() {
      // quit() waits for a connection that may never come back; a client that is not ready is just dropped.
      if (client.isReady) await client.quit().catch(() => client.destroy())
      else if (client.isOpen) client.destroy()
    },
  }
}
