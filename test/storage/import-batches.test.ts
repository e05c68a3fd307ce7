import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type ContactFields } from '../../domain/contact.ts'
import type { ImportRow, OnDuplicate } from '../../domain/import-batch.ts'
import type { Database } from '../../storage/db.ts'
import { saveImportBatch } from '../../storage/imports/batches.ts'
import { ImportStopped } from '../../storage/imports/counters.ts'
import { createImport, finishImport, getImport, listImportRows } from '../../storage/imports/history.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database
const NOW = new Date('2026-11-20T10:00:00Z')

beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

async function newImport(onDuplicate: OnDuplicate = 'skip'): Promise<string> {
  const id = uuidv7()
  await createImport(db.sql, { id, source: 'file', fileName: 'x.csv', ownerId: null, onDuplicate, runnerId: uuidv7(), bytesTotal: 100, now: NOW })
  return id
}

function row(n: number, f: Partial<ContactFields>, data: string[] = [`row ${n}`]): ImportRow {
  return { row: n, kind: 'contact', fields: { ...EMPTY_CONTACT_FIELDS, ...f }, data }
}

function save(importId: string, rows: ImportRow[], onDuplicate: OnDuplicate = 'skip', bytesRead = 50) {
  return saveImportBatch(db.sql, rows, { importId, ownerId: null, onDuplicate, newId: uuidv7, now: NOW, bytesRead })
}

type Stored = { id: string; name: string | null; mobile: string | null; email: string | null; company: string | null; date_of_birth: string | null; other_mobiles: string[]; other_emails: string[]; social: Record<string, string>; import_id: string | null; import_row: number | null; source: string }

async function contactsOf(importId: string): Promise<Stored[]> {
  return db.sql<Stored[]>`
    select id, name, mobile, email, company, date_of_birth::text, other_mobiles, other_emails, social, import_id, import_row, source
    from contacts where import_id = ${importId} order by import_row`
}

async function contactWith(mobile: string): Promise<Stored> {
  const [c] = await db.sql<Stored[]>`
    select id, name, mobile, email, company, date_of_birth::text, other_mobiles, other_emails, social, import_id, import_row, source
    from contacts where mobile = ${mobile} and active`
  if (c === undefined) throw new Error(`no contact with ${mobile}`)
  return c
}

describe('saving an import batch', () => {
  it('inserts new contacts with every field, and moves the counters and bytes read with them', async () => {
    const id = await newImport()
    const counts = await save(id, [
      row(2, { name: 'Ann', mobile: '+447400100001', email: 'Ann@X.example', dateOfBirth: '1990-02-03', company: 'Acme', otherMobiles: ['+447400100002'], otherEmails: ['ANN@work.example'], social: { instagram: 'ann' }, address: { city: 'Leeds', country: 'GB' }, countrySource: 'entered' }),
      row(3, { email: 'bo@x.example' }),
    ], 'skip', 77)
    expect(counts).toEqual({ imported: 2, updated: 0, duplicates: 0, failed: 0 })
    expect(await contactsOf(id)).toMatchObject([
      { name: 'Ann', mobile: '+447400100001', email: 'Ann@X.example', date_of_birth: '1990-02-03', company: 'Acme', other_mobiles: ['+447400100002'], other_emails: ['ann@work.example'], social: { instagram: 'ann' }, import_row: 2, source: 'import' },
      { email: 'bo@x.example', other_mobiles: [], other_emails: [], social: {}, import_row: 3 },
    ])
    expect(await getImport(db.sql, id)).toMatchObject({ totalRows: 2, imported: 2, updated: 0, duplicates: 0, failed: 0, warnings: 0, bytesRead: 77 })
  })

  it('lists failed rows and duplicates with their reasons, the earlier row named across batches, long values cut', async () => {
    const id = await newImport()
    await save(id, [row(2, { mobile: '+447400100011' })])
    const long = 'x'.repeat(1500)
    const counts = await save(id, [
      row(3, { mobile: '+447400100011' }, [long]),
      { row: 4, kind: 'failed', reason: 'no mobile or email', errors: [{ column: 'Mobile', field: 'mobile', message: 'missing' }], data: ['?'] },
    ])
    expect(counts).toEqual({ imported: 0, updated: 0, duplicates: 1, failed: 1 })
    const [first] = await contactsOf(id)
    const listed = await listImportRows(db.sql, id, 0, 10)
    expect(listed).toEqual([
      { row: 3, kind: 'duplicate', reason: 'duplicate: same mobile as row 2', errors: null, duplicateOf: first?.id, data: [`${'x'.repeat(1000)}…`] },
      { row: 4, kind: 'failed', reason: 'no mobile or email', errors: [{ column: 'Mobile', field: 'mobile', message: 'missing' }], duplicateOf: null, data: ['?'] },
    ])
    expect(await getImport(db.sql, id)).toMatchObject({ totalRows: 3, imported: 1, duplicates: 1, failed: 1 })
  })

  it('matches existing contacts by other mobiles and by email without case, naming them', async () => {
    const earlier = await newImport()
    await save(earlier, [row(2, { mobile: '+447400100021', otherMobiles: ['+447400100022'], email: 'Cy@Example.com' })])
    const cy = await contactWith('+447400100021')
    const id = await newImport()
    await save(id, [row(2, { mobile: '+447400100022' }), row(3, { email: 'cy@example.COM' })])
    expect((await listImportRows(db.sql, id, 0, 10)).map((r) => [r.reason, r.duplicateOf])).toEqual([
      [`duplicate: same mobile as existing contact ${cy.id}`, cy.id],
      [`duplicate: same email as existing contact ${cy.id}`, cy.id],
    ])
  })

  it('with update, fills only the empty fields of the contact as it is when written', async () => {
    const earlier = await newImport()
    await save(earlier, [row(2, { name: 'Dee', mobile: '+447400100031' })])
    const dee = await contactWith('+447400100031')
    // Changed after the import read it: the fill starts from what is stored.
    await db.sql`update contacts set company = 'Kept' where id = ${dee.id}`
    const id = await newImport('update')
    const counts = await save(id, [row(2, { name: 'Not Dee', mobile: '+447400100031', company: 'Lost', email: 'dee@x.example' }), row(3, { email: 'dee@x.example', dateOfBirth: '1980-01-01' })], 'update')
    expect(counts).toEqual({ imported: 0, updated: 2, duplicates: 0, failed: 0 })
    expect(await contactWith('+447400100031')).toMatchObject({ id: dee.id, name: 'Dee', company: 'Kept', email: 'dee@x.example', date_of_birth: '1980-01-01', import_id: earlier })
  })

  it('does not update a row that matches two contacts, and lists it as a duplicate of the first', async () => {
    const earlier = await newImport()
    await save(earlier, [row(2, { mobile: '+447400100041' }), row(3, { email: 'eve@x.example' })])
    const id = await newImport('update')
    await save(id, [row(2, { mobile: '+447400100041', email: 'eve@x.example', name: 'Eve' })], 'update')
    const [listed] = await listImportRows(db.sql, id, 0, 10)
    expect(listed?.reason).toMatch(/^duplicate: same mobile as existing contact .*, same email as existing contact .*; not updated because it matches more than one contact$/)
    expect((await contactWith('+447400100041')).name).toBeNull()
  })

  it('rolls the whole batch back when the import is no longer in progress', async () => {
    const id = await newImport()
    await finishImport(db.sql, id, { status: 'failed', reason: 'interrupted' }, NOW)
    await expect(save(id, [row(2, { mobile: '+447400100051' }), { row: 3, kind: 'failed', reason: 'bad', errors: null, data: [] }])).rejects.toBeInstanceOf(ImportStopped)
    expect(await contactsOf(id)).toEqual([])
    expect(await listImportRows(db.sql, id, 0, 10)).toEqual([])
    expect(await getImport(db.sql, id)).toMatchObject({ status: 'failed', totalRows: 0, imported: 0, failed: 0 })
  })

  it('writes a batch whose later row gives a new contact its mobile, and the row after it matches that contact', async () => {
    const id = await newImport('update')
    const counts = await save(id, [row(2, { email: 'fay@x.example' }), row(3, { email: 'fay@x.example', mobile: '+447400100061' }), row(4, { mobile: '+447400100061', company: 'Fay Ltd' })], 'update')
    expect(counts).toEqual({ imported: 1, updated: 2, duplicates: 0, failed: 0 })
    expect(await contactsOf(id)).toMatchObject([{ email: 'fay@x.example', mobile: '+447400100061', company: 'Fay Ltd', import_row: 2 }])
  })
})
