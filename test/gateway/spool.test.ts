import { randomUUID } from 'node:crypto'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clearStaleUploads, spoolUpload } from '../../gateway/imports/spool.ts'
import { embeddedImportRunner, serverImportRunner } from '../../gateway/imports/runner.ts'
import type { Database } from '../../storage/db.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'

let db: Database
let dir: string
beforeAll(async () => {
  db = await openTestDatabase()
  dir = await mkdtemp(join(tmpdir(), 'cg-spool-unit-'))
})
afterAll(async () => {
  await db.close()
  await rm(dir, { recursive: true, force: true })
})

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield new TextEncoder().encode(p)
}

describe('the upload spool', () => {
  it('writes into its own folder under the runner that receives the upload, and the name is gone once opened', async () => {
    const runner = randomUUID()
    const spooled = await spoolUpload(chunks('Name,Phone\n', 'A,+447400100001\n'), 1024, join(dir, 'own'), runner)
    expect(await readdir(join(dir, 'own'))).toEqual([expect.stringMatching(new RegExp(`^contact-gateway-upload-${runner}-`))])
    const stream = await spooled.read()
    expect(await readdir(join(dir, 'own'))).toEqual([])
    stream.destroy()
  })

  it('clears at start only the uploads whose runner is gone, never those of a runner still receiving one', async () => {
    const live = randomUUID()
    const dead = randomUUID()
    const self = randomUUID()
    const liveRunner = usingServer() ? serverImportRunner(db.sql, live) : embeddedImportRunner(live)
    const release = await liveRunner.begin()
    for (const runner of [live, dead]) await writeFile(join(dir, `contact-gateway-upload-${runner}-${randomUUID()}.csv`), 'Name,Phone\n')
    await writeFile(join(dir, 'not-ours.txt'), 'kept')
    // On the embedded database one process owns everything, so only its own uploads can be live.
    const starting = usingServer() ? serverImportRunner(db.sql, self) : { isAlive: async (id: string) => id === live }
    expect(await clearStaleUploads(dir, starting)).toBe(1)
    const left = await readdir(dir)
    expect(left.filter((n) => n.includes(dead))).toEqual([])
    expect(left.filter((n) => n.includes(live))).toHaveLength(1)
    expect(left).toContain('not-ours.txt')
    await release()
    expect(await clearStaleUploads(dir, starting)).toBe(usingServer() ? 1 : 0)
  })
})
