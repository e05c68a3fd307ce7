import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { progressReporter } from '../../../gateway/imports/progress.ts'
import type { Database } from '../../../storage/db.ts'
import { createImport, finishImport, getImport, type ImportRecord } from '../../../storage/imports/history.ts'
import { openTestDatabase } from '../../helpers/db.ts'

let db: Database

beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

describe('progress of a running import', () => {
  it('reports the import as read at most once per interval of the injected clock, and nothing once it has ended', async () => {
    const id = uuidv7()
    let at = 0
    const clock = () => new Date(at)
    await createImport(db.sql, { id, source: 'file', fileName: 'x.csv', ownerId: null, onDuplicate: 'skip', runnerId: uuidv7(), bytesTotal: 10, now: clock() })
    const reports: ImportRecord[] = []
    const report = progressReporter({ everyMs: 1000, report: (i) => reports.push(i) }, clock)
    const saved = async () => report((await getImport(db.sql, id))!)

    at = 999
    await saved()
    at = 1000
    await saved()
    await saved()
    expect(reports).toHaveLength(1)
    expect(reports[0]).toMatchObject({ id, status: 'in_progress', fileName: 'x.csv' })

    await finishImport(db.sql, id, { status: 'completed' }, clock())
    at = 2500
    await saved()
    expect(reports).toHaveLength(1)
  })

  it('does nothing for an import nobody follows', async () => {
    const id = uuidv7()
    await createImport(db.sql, { id, source: 'file', fileName: 'y.csv', ownerId: null, onDuplicate: 'skip', runnerId: null, bytesTotal: 10, now: new Date(0) })
    const record = (await getImport(db.sql, id))!
    expect(() => progressReporter(undefined, () => new Date(5000))(record)).not.toThrow()
  })
})
