import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { v7 as uuidv7 } from 'uuid'
import { embeddedImportRunner, failOrphanedImports, serverImportRunner, type ImportRunner } from '../../gateway/imports/runner.ts'
import type { Database } from '../../storage/db.ts'
import { createImport, failInterruptedImports, getImport } from '../../storage/imports/history.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database

beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

function runner(id: string): ImportRunner {
  return db.kind === 'postgres' ? serverImportRunner(db.sql, id) : embeddedImportRunner(id)
}

async function importBy(runnerId: string): Promise<string> {
  const id = uuidv7()
  await createImport(db.sql, { id, source: 'file', fileName: null, ownerId: null, onDuplicate: 'skip', runnerId, bytesTotal: null, now: new Date() })
  return id
}

const status = async (id: string) => (await getImport(db.sql, id))?.status

describe('interrupted imports', () => {
  it('fails the imports of runners that are gone and keeps those of runners still alive', async () => {
    const me = runner(uuidv7())
    const other = runner(uuidv7())
    const release = await other.begin()
    const mine = await importBy(me.id)
    const others = await importBy(other.id)
    const dead = await importBy(uuidv7())

    await failOrphanedImports(db.sql, me, new Date())
    expect(await status(mine)).toBe('in_progress')
    expect(await status(dead)).toBe('failed')
    expect((await getImport(db.sql, dead))?.failureReason).toContain('interrupted')
    // On a server another live process keeps its import; embedded PGlite belongs to one process, so it cannot exist.
    expect(await status(others)).toBe(db.kind === 'postgres' ? 'in_progress' : 'failed')

    await release()
    await failOrphanedImports(db.sql, me, new Date())
    expect(await status(others)).toBe('failed')
    expect(await status(mine)).toBe('in_progress')
  })

  it('keeps the lock while any of several imports of this process runs', async () => {
    const me = runner(uuidv7())
    const observer = runner(uuidv7())
    const releaseA = await me.begin()
    const releaseB = await me.begin()
    const running = await importBy(me.id)
    await releaseA()
    await failOrphanedImports(db.sql, observer, new Date())
    expect(await status(running)).toBe(db.kind === 'postgres' ? 'in_progress' : 'failed')
    await releaseB()
  })

  it('leaves alone an import begun after the runners were looked at', async () => {
    // failOrphanedImports reads the runners, asks which are alive, then fails their imports: one created in between
    // (two overlapping uploads) must not be taken for an orphan.
    const looked = await importBy(uuidv7())
    const gone = [(await db.sql<{ runner_id: string }[]>`select runner_id from imports where id = ${looked}`)[0]?.runner_id ?? '']
    const begunMeanwhile = await importBy(uuidv7())
    await failInterruptedImports(db.sql, gone, new Date())
    expect(await status(looked)).toBe('failed')
    expect(await status(begunMeanwhile)).toBe('in_progress')
  })
})
