import { once } from 'node:events'
import { createReadStream, type ReadStream } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'

/** Drafts' files live apart from uploads in flight, which a start-up removes: a draft survives a restart. */
export function draftPath(spoolDir: string, id: string): string {
  return join(spoolDir, 'drafts', `${id}.csv`)
}

export async function openDraftFile(path: string): Promise<ReadStream> {
  const stream = createReadStream(path, { highWaterMark: 256 * 1024 })
  await once(stream, 'open')
  return stream
}

export async function removeDraftFile(path: string): Promise<void> {
  await rm(path, { force: true })
}
