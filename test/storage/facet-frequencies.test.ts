import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { v7 as uuidv7 } from 'uuid'
import { EMPTY_CONTACT_FIELDS } from '../../domain/contact.ts'
import { searchedTokens } from '../../storage/contact-filter-plan.ts'
import { insertContact } from '../../storage/contacts.ts'
import type { Database } from '../../storage/db.ts'
import { facetFrequencies, type FacetFrequencies } from '../../storage/facet-frequencies.ts'
import { openTestDatabase } from '../helpers/db.ts'

const book = (rows: number, shares: Record<string, number>): FacetFrequencies => ({ rows, of: (t) => shares[t] ?? 0.0001 })

describe('the facets a page searches the index for', () => {
  it('are all of them on a book PostgreSQL has not counted yet', () => {
    expect(searchedTokens(['c:JP', 'h:1', 's:incoming'], { rows: 0, of: () => 0 })).toEqual(['c:JP', 'h:1', 's:incoming'])
  })

  it('leave out a token half the book holds beside a rare one, whose few rows are cheaper to test', () => {
    const shares = { 'c:JP': 0.0038, newsletter: 0.104, 's:incoming': 0.47, 'h:1': 0.5 }
    expect(searchedTokens(['c:JP', 's:incoming', 'newsletter', 'h:1'], book(1_000_000, shares))).toEqual(['c:JP', 'newsletter'])
  })

  it('keep the common ones that spare reading many rows', () => {
    const shares = { 'c:BR': 0.1, 'p:proactive': 0.26, 's:incoming': 0.47, 'h:1': 0.5 }
    expect(searchedTokens(['c:BR', 'p:proactive', 's:incoming', 'h:1'], book(1_000_000, shares))).toEqual(['c:BR', 'p:proactive', 's:incoming'])
  })

  it('keep one at least', () => {
    expect(searchedTokens(['p:reactive', 'h:0'], book(1_000_000, { 'p:reactive': 0.99, 'h:0': 0.99 }))).toHaveLength(1)
  })
})

describe('facet frequencies', () => {
  let db: Database
  beforeAll(async () => {
    db = await openTestDatabase()
  })
  afterAll(async () => {
    await db.close()
  })

  it('are what ANALYZE counted in the facets index', async () => {
    for (const [i, country] of ['DE', 'DE', 'DE', 'FR'].entries()) {
      const fields = { ...EMPTY_CONTACT_FIELDS, name: `P${i}`, email: `p${i}@example.com`, address: { country } }
      await insertContact(db.sql, { id: uuidv7(), fields, ownerId: null, preference: 'reactive', source: 'manual', issues: [], identities: [], now: new Date() })
    }
    await db.sql`analyze contacts`
    const frequencies = await facetFrequencies(db.sql)
    expect(frequencies.rows).toBe(4)
    expect(frequencies.of('p:reactive')).toBe(1)
    expect(frequencies.of('c:DE')).toBe(0.75)
    expect(frequencies.of('c:JP')).toBeLessThan(0.25)
  })
})
