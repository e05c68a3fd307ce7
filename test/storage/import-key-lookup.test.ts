import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type ContactFields } from '../../domain/contact.ts'
import type { ImportRow } from '../../domain/import-batch.ts'
import type { Database } from '../../storage/db.ts'
import { saveImportBatch } from '../../storage/imports/batches.ts'
import { createImport } from '../../storage/imports/history.ts'
import { openTestDatabase } from '../helpers/db.ts'

// One connection, so that the second batch runs on the connection whose plans the first batch made.
let db: Database
const NOW = new Date('2026-12-06T10:00:00Z')

beforeAll(async () => {
  db = await openTestDatabase({ poolSize: 1 })
  // The statistics stay those of the empty book, as between two runs of autovacuum during a large import.
  await db.sql`alter table contacts set (autovacuum_enabled = off)`
})
afterAll(async () => {
  await db.close()
})

function row(n: number, f: Partial<ContactFields>): ImportRow {
  return { row: n, kind: 'contact', fields: { ...EMPTY_CONTACT_FIELDS, ...f }, data: [`row ${n}`] }
}

/** The scans of contacts so far: the one connection's own are flushed to the view as its transaction ends. */
async function scansOfContacts(): Promise<{ seq: number; idx: number; fetched: number }> {
  await db.sql`select pg_stat_force_next_flush()`
  const [s] = await db.sql<{ seq: string; idx: string; fetched: string }[]>`
    select seq_scan as seq, coalesce(idx_scan, 0) as idx, coalesce(idx_tup_fetch, 0) as fetched from pg_stat_user_tables where relname = 'contacts'`
  return { seq: Number(s?.seq ?? 0), idx: Number(s?.idx ?? 0), fetched: Number(s?.fetched ?? 0) }
}

// Regression: the batch's statements kept one generic plan per connection, and the key lookup's, made for the
// first batch against an empty book, scanned the whole table for every key of every later batch. On a growing
// book that made batches of a 1M-row import take seconds (measured: up to 6.9 s).
it('looks up the holders of a batch through the indexes, whatever the statistics say of the book', async () => {
  const importId = uuidv7()
  await createImport(db.sql, { id: importId, source: 'file', fileName: 'x.csv', ownerId: null, onDuplicate: 'skip', runnerId: uuidv7(), bytesTotal: 100, now: NOW })
  const save = (rows: ImportRow[]) => saveImportBatch(db.sql, rows, { importId, ownerId: null, onDuplicate: 'skip', newId: uuidv7, now: NOW, bytesRead: 50 })
  expect(await save([row(2, { mobile: '+447400000001', email: 'first@x.example' })])).toMatchObject({ imported: 1 })
  await db.sql`
    insert into contacts (id, name, mobile, email, preference, source, created_at, updated_at)
    select gen_random_uuid(), 'Book ' || i, '+4475' || lpad(i::text, 8, '0'), 'book' || i || '@x.example', 'reactive', 'manual', ${NOW}, ${NOW}
    from generate_series(1, 20000) i`
  const before = await scansOfContacts()

  // A full batch: against a thousand keys, the planner's own costs favour hashing a scan of 20,000 contacts.
  const fresh = Array.from({ length: 997 }, (_, i) => row(10 + i, { mobile: `+4476${String(i).padStart(8, '0')}`, email: `new${i}@x.example` }))
  const counts = await save([row(3, { mobile: '+447500000042' }), row(4, { email: 'BOOK77@x.example' }), row(5, { mobile: '+447400000003' }), ...fresh])

  expect(counts).toEqual({ imported: 998, updated: 0, duplicates: 2, failed: 0 })
  const after = await scansOfContacts()
  expect(after.idx).toBeGreaterThan(before.idx)
  expect(after.seq).toBe(before.seq)
  // Not a walk of a whole index either (a plan made for an empty book with sequential scans off did that).
  expect(after.fetched - before.fetched).toBeLessThan(100)
})
