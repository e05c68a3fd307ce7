import { randomUUID } from 'node:crypto'
import { once } from 'node:events'
import { createReadStream, createWriteStream, type ReadStream } from 'node:fs'
import { mkdir, readdir, rename, rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { FileTooLarge } from './reader.ts'
import type { ImportRunner } from './runner.ts'

const PREFIX = 'contact-gateway-upload-'
const NAME = /^contact-gateway-upload-([0-9a-f-]{36})-[0-9a-f-]{36}\.csv$/

export type SpooledUpload = {
  size: number
  /**
   * Opens the file for reading and removes its name at once: the open descriptor keeps the bytes readable for
   * as long as the import needs them, and a process that dies afterwards leaves nothing behind.
   */
  read(): Promise<ReadStream>
  /** Keeps the file under another name (a draft's), out of reach of the start-up clean-up of uploads. */
  moveTo(path: string): Promise<void>
}

/**
 * Writes an upload to a file in `dir` (SPOOL_DIR) as it arrives, so that the answer can wait for the whole body
 * without holding it in memory. The file is named after the runner that receives it, which holds the runner
 * while it arrives, so that a process killed mid-upload leaves a file that the next start knows to be nobody's. Answering before the body is read does not work over HTTP/1.1: curl stops sending
 * when a response arrives early, and @hono/node-server drains (discards) whatever is left of a request once
 * its response is sent.
 */
export async function spoolUpload(bytes: AsyncIterable<Uint8Array>, maxBytes: number, dir: string, runnerId: string): Promise<SpooledUpload> {
  await mkdir(dir, { recursive: true })
  const path = join(dir, `${PREFIX}${runnerId}-${randomUUID()}.csv`)
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
    async moveTo(target) {
      await mkdir(dirname(target), { recursive: true })
      await rename(path, target)
    },
  }
}

/** Removes the uploads in `dir` whose runner is gone (a crash, a kill): nobody will ever read them. Returns how many. */
export async function clearStaleUploads(dir: string, runner: Pick<ImportRunner, 'isAlive'>): Promise<number> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  let removed = 0
  for (const name of names) {
    const runnerId = NAME.exec(name)?.[1]
    if (runnerId === undefined || (await runner.isAlive(runnerId))) continue
    await rm(join(dir, name), { force: true })
    removed++
  }
  return removed
}
