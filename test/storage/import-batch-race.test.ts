import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, expect, it, vi } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type ContactFields } from '../../domain/contact.ts'
import type { ImportRow } from '../../domain/import-batch.ts'
import type { Database } from '../../storage/db.ts'
import { saveImportBatch } from '../../storage/imports/batches.ts'
import { createImport, getImport, listImportRows } from '../../storage/imports/history.ts'
import type { Queryable } from '../../storage/sql.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'

let db: Database
const NOW = new Date('2026-12-06T10:00:00Z')

beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

function row(n: number, f: Partial<ContactFields>): ImportRow {
  return { row: n, kind: 'contact', fields: { ...EMPTY_CONTACT_FIELDS, ...f }, data: [`row ${n}`] }
}

function insertRival(q: Queryable, id: string, mobile: string) {
  return q`insert into contacts (id, name, mobile, preference, source, created_at, updated_at)
           values (${id}, 'Rival', ${mobile}, 'reactive', 'incoming', ${NOW}, ${NOW})`
}

/** Whether some connection is waiting for a lock (the batch's insert, on the rival's uncommitted key). */
async function someoneWaitsForALock(): Promise<boolean> {
  const [r] = await db.sql<{ n: number }[]>`select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`
  return (r?.n ?? 0) > 0
}

// The batch reads the key holders, then inserts: a writer that takes one of its keys in between is stopped by the
// unique index alone. On a server the rival holds its insert uncommitted until the batch's insert waits on it,
// then commits; on the embedded database (one session) the rival can only come first.
it('a key another writer takes while a batch is written makes the batch start over, and the row counts as a duplicate', async () => {
  const importId = uuidv7()
  await createImport(db.sql, { id: importId, source: 'file', fileName: 'x.csv', ownerId: null, onDuplicate: 'skip', runnerId: uuidv7(), bytesTotal: 100, now: NOW })
  const rivalId = uuidv7()
  const rows = [row(2, { name: 'Ann', mobile: '+447400300001' }), row(3, { name: 'Bo', mobile: '+447400300002' })]
  const save = () => saveImportBatch(db.sql, rows, { importId, ownerId: null, onDuplicate: 'skip', newId: uuidv7, now: NOW, bytesRead: 50 })
  let counts: Awaited<ReturnType<typeof save>>
  if (usingServer()) {
    const rival = await db.sql.reserve()
    try {
      await rival`begin`
      await insertRival(rival, rivalId, '+447400300002')
      const saving = save()
      await vi.waitFor(async () => expect(await someoneWaitsForALock()).toBe(true), { timeout: 10_000, interval: 20 })
      await rival`commit`
      counts = await saving
    } finally {
      rival.release()
    }
  } else {
    await insertRival(db.sql, rivalId, '+447400300002')
    counts = await save()
  }
  expect(counts).toEqual({ imported: 1, updated: 0, duplicates: 1, failed: 0 })
  const holders = await db.sql<{ id: string; name: string }[]>`select id, name from contacts where active and mobile = '+447400300002'`
  expect(holders).toEqual([{ id: rivalId, name: 'Rival' }])
  expect(await getImport(db.sql, importId)).toMatchObject({ totalRows: 2, imported: 1, duplicates: 1, failed: 0 })
  expect(await listImportRows(db.sql, importId, 0, 10)).toMatchObject([{ row: 3, kind: 'duplicate', duplicateOf: rivalId }])
})
