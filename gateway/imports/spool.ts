import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { FileTooLarge } from './reader.ts'

export type SpooledUpload = {
  size: number
  /**
   * Opens the file for reading and removes its name at once: the open descriptor keeps the bytes readable for
   * as long as the import needs them, and a process that dies leaves nothing behind for anyone to clean up.
   */
  read(): Promise<ReadStream>
}

/**
 * Writes an upload to a temporary file as it arrives, so that the answer can wait for the whole body without
 * holding it in memory. Answering before the body is read does not work over HTTP/1.1: curl stops sending
 * when a response arrives early, and @hono/node-server drains (discards) whatever is left of a request once
 * its response is sent.
 */
export async function spoolUpload(bytes: AsyncIterable<Uint8Array>, maxBytes: number, dir: string = tmpdir()): Promise<SpooledUpload> {
  const path = join(dir, `contact-gateway-upload-${randomUUID()}.csv`)
  const remove = () => rm(path, { force: true })
  const out = createWriteStream(path)
  const failed = new Promise<never>((_, reject) => out.once('error', reject))
  failed.catch(() => {})
  let size = 0
  try {
    for await (const chunk of bytes) {
      size += chunk.length
      if (size > maxBytes) throw new FileTooLarge(maxBytes)
      if (!out.write(chunk)) await Promise.race([new Promise<void>((resolve) => out.once('drain', () => resolve())), failed])
    }
    await Promise.race([new Promise<void>((resolve) => out.end(() => resolve())), failed])
  } catch (error) {
    out.destroy()
    await remove()
    throw error
  }
  return {
    size,
    async read() {
      try {
        const stream = createReadStream(path, { highWaterMark: 256 * 1024 })
        await once(stream, 'open')
        return stream
      } finally {
        await remove()
      }
    },
  }
}
