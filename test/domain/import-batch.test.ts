import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type ContactFields } from '../../domain/contact.ts'
import type { RowError } from '../../domain/csv/row.ts'
import { dedupKeys } from '../../domain/dedup.ts'
import { fillFromRows, planImportBatch, type BatchPlan, type ImportRow, type KeyHolder, type OnDuplicate } from '../../domain/import-batch.ts'

function counter(prefix: string): () => string {
  let n = 0
  return () => `${prefix}${++n}`
}

function fields(f: Partial<ContactFields>): ContactFields {
  return { ...EMPTY_CONTACT_FIELDS, ...f }
}

function contact(row: number, f: Partial<ContactFields>, warnings?: RowError[]): ImportRow {
  return { row, kind: 'contact', fields: fields(f), data: [`row ${row}`], ...(warnings === undefined ? {} : { warnings }) }
}

function holder(id: string, f: ContactFields, importRow: number | null = null): KeyHolder {
  return { id, mobile: f.mobile, email: f.email?.toLowerCase() ?? null, otherMobiles: f.otherMobiles, otherEmails: f.otherEmails.map((e) => e.toLowerCase()), importRow }
}

describe('planning an import batch', () => {
  it('skips a row whose mobile an existing contact has, naming the contact', () => {
    const ann = fields({ name: 'Ann', mobile: '+447400000001' })
    const plan = planImportBatch([contact(2, { name: 'Ann B', mobile: '+447400000001' })], [holder('c1', ann)], 'skip', counter('new'))
    expect(plan.inserts).toEqual([])
    expect(plan.listed).toEqual([{ row: 2, kind: 'duplicate', reason: 'duplicate: same mobile as existing contact c1', errors: null, duplicateOf: 'c1', data: ['row 2'] }])
    expect(plan.counts).toEqual({ imported: 0, updated: 0, duplicates: 1, failed: 0 })
  })

  it('names the earlier row when the holder is a row of this batch or of this import', () => {
    const earlier = fields({ email: 'bo@x.example' })
    const plan = planImportBatch(
      [contact(2, { email: 'zed@x.example' }), contact(3, { email: 'ZED@x.example' }), contact(4, { email: 'bo@x.example' })],
      [holder('c9', earlier, 1)], 'skip', counter('new'),
    )
    expect(plan.inserts.map((i) => ({ id: i.id, row: i.row }))).toEqual([{ id: 'new1', row: 2 }])
    expect(plan.listed.map((l) => [l.row, l.reason, l.duplicateOf])).toEqual([
      [3, 'duplicate: same email as row 2', 'new1'],
      [4, 'duplicate: same email as row 1', 'c9'],
    ])
  })

  it('fills only the empty fields of the one contact a row matches, in row order', () => {
    const ann = fields({ name: 'Ann', mobile: '+447400000001' })
    const rows = [contact(2, { name: 'Other', mobile: '+447400000001', company: 'Acme' }), contact(3, { mobile: '+447400000001', company: 'Later', email: 'ann@x.example' })]
    const plan = planImportBatch(rows, [holder('c1', ann)], 'update', counter('new'))
    expect(plan.updates).toEqual([{ contactId: 'c1', rows: [{ row: 2, fields: rows[0]?.kind === 'contact' ? rows[0].fields : null }, { row: 3, fields: rows[1]?.kind === 'contact' ? rows[1].fields : null }] }])
    const filled = fillFromRows(ann, plan.updates[0]?.rows.map((r) => r.fields) ?? [])
    expect(filled).toMatchObject({ name: 'Ann', mobile: '+447400000001', company: 'Acme', email: 'ann@x.example' })
    expect(plan.counts.updated).toBe(2)
  })

  it('does not guess between two contacts: a row matching both is a duplicate even with update', () => {
    const plan = planImportBatch(
      [contact(5, { mobile: '+447400000001', email: 'b@x.example' })],
      [holder('c1', fields({ mobile: '+447400000001' })), holder('c2', fields({ email: 'b@x.example' }))], 'update', counter('new'),
    )
    expect(plan.updates).toEqual([])
    expect(plan.listed[0]?.reason).toBe('duplicate: same mobile as existing contact c1, same email as existing contact c2; not updated because it matches more than one contact')
  })

  it('fills a new contact of the batch from a later row, and a mobile it gained then matches the rows after', () => {
    const plan = planImportBatch(
      [contact(2, { email: 'cy@x.example' }), contact(3, { email: 'cy@x.example', mobile: '+447400000003' }), contact(4, { mobile: '+447400000003', name: 'Cy' })],
      [], 'update', counter('new'),
    )
    expect(plan.inserts).toHaveLength(1)
    expect(plan.inserts[0]).toMatchObject({ id: 'new1', row: 2, filledBy: [3, 4], fields: { email: 'cy@x.example', mobile: '+447400000003', name: 'Cy' } })
    expect(plan.counts).toEqual({ imported: 1, updated: 2, duplicates: 0, failed: 0 })
  })

  it('lists failed rows as they came and imported rows that lost a value as warnings, counted apart', () => {
    const warning = [{ column: 'Birthday', field: 'dateOfBirth', message: 'has no year' }]
    const plan = planImportBatch(
      [{ row: 2, kind: 'failed', reason: 'no mobile or email', errors: [], data: ['x'] }, contact(3, { email: 'd@x.example' }, warning)],
      [], 'skip', counter('new'),
    )
    expect(plan.listed.map((l) => [l.row, l.kind])).toEqual([[2, 'failed'], [3, 'warning']])
    expect(plan.counts).toEqual({ imported: 1, updated: 0, duplicates: 0, failed: 1 })
    expect(plan.warnings).toBe(1)
  })
})

const MOBILES = ['+447400000001', '+447400000002', '+447400000003', '+14155550100', '+4915112345678']
const EMAILS = ['a@x.example', 'A@X.example', 'b@x.example', 'c@y.example', 'd@y.example']

const someFields = fc.record({
  name: fc.option(fc.constantFrom('Ann', 'Bo', 'Cy'), { nil: null }),
  mobile: fc.option(fc.constantFrom(...MOBILES), { nil: null }),
  email: fc.option(fc.constantFrom(...EMAILS), { nil: null }),
  company: fc.option(fc.constantFrom('Acme', 'Initech'), { nil: null }),
  otherMobiles: fc.uniqueArray(fc.constantFrom(...MOBILES), { maxLength: 2 }),
  otherEmails: fc.uniqueArray(fc.constantFrom(...EMAILS), { maxLength: 1 }),
}).map((f) => fields({ ...f, otherMobiles: f.otherMobiles.filter((m) => m !== f.mobile) }))

const row = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(someFields, fc.boolean()).map(([f, warned]) => ({ kind: 'contact' as const, fields: f, warned })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'failed' as const }) },
)

/** Existing contacts hold disjoint keys, as the unique indexes keep the book (a later one overlapping an earlier is dropped). */
function disjoint(candidates: ContactFields[]): { id: string; fields: ContactFields }[] {
  const taken = new Set<string>()
  const kept: { id: string; fields: ContactFields }[] = []
  for (const f of candidates) {
    const keys = keysOf(f)
    if (keys.some((k) => taken.has(k))) continue
    for (const k of keys) taken.add(k)
    kept.push({ id: `c${kept.length + 1}`, fields: f })
  }
  return kept
}

function keysOf(f: ContactFields): string[] {
  const k = dedupKeys(f)
  return [...k.mobiles.map((m) => `m:${m}`), ...k.emails.map((e) => `e:${e}`)]
}

/** The contacts the batch touches as they are once the plan is written: the existing ones filled, and the new ones. */
function bookAfter(existing: { id: string; fields: ContactFields }[], plan: BatchPlan): { id: string; fields: ContactFields }[] {
  const filled = new Map(plan.updates.map((u) => [u.contactId, u.rows.map((r) => r.fields)]))
  return [
    ...existing.map((e) => ({ id: e.id, fields: fillFromRows(e.fields, filled.get(e.id) ?? []) })),
    ...plan.inserts.map((i) => ({ id: i.id, fields: i.fields })),
  ]
}

const batch = fc.record({
  rows: fc.array(row, { maxLength: 14 }).map((rs) => rs.map((r, i): ImportRow =>
    r.kind === 'failed'
      ? { row: i + 2, kind: 'failed', reason: 'bad', errors: null, data: [] }
      : { row: i + 2, kind: 'contact', fields: r.fields, data: [], ...(r.warned ? { warnings: [{ column: 'X', field: 'name', message: 'lost' }] } : {}) })),
  existing: fc.array(someFields, { maxLength: 5 }).map(disjoint),
  onDuplicate: fc.constantFrom<OnDuplicate>('skip', 'update'),
})

describe('an import batch plan, for any batch', () => {
  it('accounts for every row exactly once, and its counts add up to the rows', () => {
    fc.assert(fc.property(batch, ({ rows, existing, onDuplicate }) => {
      const plan = planImportBatch(rows, existing.map((e) => holder(e.id, e.fields)), onDuplicate, counter('new'))
      const accounted = [
        ...plan.inserts.flatMap((i) => [i.row, ...i.filledBy]),
        ...plan.updates.flatMap((u) => u.rows.map((r) => r.row)),
        ...plan.listed.filter((l) => l.kind !== 'warning').map((l) => l.row),
      ]
      expect(accounted.sort((a, b) => a - b)).toEqual(rows.map((r) => r.row))
      const c = plan.counts
      expect(c.imported + c.updated + c.duplicates + c.failed).toBe(rows.length)
      const warned = rows.filter((r) => r.kind === 'contact' && r.warnings !== undefined && !plan.listed.some((l) => l.row === r.row && l.kind === 'duplicate'))
      expect(plan.listed.filter((l) => l.kind === 'warning').map((l) => l.row)).toEqual(warned.map((r) => r.row))
      expect(plan.warnings).toBe(warned.length)
    }), { numRuns: 500 })
  })

  it('writes no key to two contacts: new ones, filled ones and the rest of the book stay apart', () => {
    fc.assert(fc.property(batch, ({ rows, existing, onDuplicate }) => {
      const plan = planImportBatch(rows, existing.map((e) => holder(e.id, e.fields)), onDuplicate, counter('new'))
      const owner = new Map<string, string>()
      for (const c of bookAfter(existing, plan)) {
        for (const key of keysOf(c.fields)) {
          expect(owner.get(key) ?? c.id, `${key} of ${c.id}`).toBe(c.id)
          owner.set(key, c.id)
        }
      }
    }), { numRuns: 500 })
  })

  it('never updates with skip, and a duplicate names a contact that holds one of its keys', () => {
    fc.assert(fc.property(batch, ({ rows, existing, onDuplicate }) => {
      const plan = planImportBatch(rows, existing.map((e) => holder(e.id, e.fields)), onDuplicate, counter('new'))
      if (onDuplicate === 'skip') {
        expect(plan.updates).toEqual([])
        expect(plan.inserts.every((i) => i.filledBy.length === 0)).toBe(true)
      }
      const holders = bookAfter(existing, plan)
      for (const d of plan.listed.filter((l) => l.kind === 'duplicate')) {
        const r = rows.find((x) => x.row === d.row)
        if (r?.kind !== 'contact') throw new Error(`duplicate row ${d.row} is not a contact row`)
        const target = holders.find((h) => h.id === d.duplicateOf)
        expect(target, d.reason).toBeDefined()
        expect(keysOf(target?.fields ?? EMPTY_CONTACT_FIELDS).some((k) => keysOf(r.fields).includes(k)), d.reason).toBe(true)
      }
    }), { numRuns: 500 })
  })
})
