import { v7 as uuidv7 } from 'uuid'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { EMPTY_CONTACT_FIELDS, type ContactFields, type Identity } from '../../domain/contact.ts'
import { mergeContacts, pairKey } from '../../domain/merge.ts'
import { getActiveContact, insertContact, mergedInto } from '../../storage/contacts.ts'
import type { Database } from '../../storage/db.ts'
import { dismissDuplicates, dismissedPairs, findDuplicatePairs } from '../../storage/duplicates.ts'
import { mergeContactRecords, undoMergeRecord } from '../../storage/merges.ts'
import { insertUser } from '../../storage/users.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database
let actorId: string
const NOW = new Date('2026-11-20T10:00:00Z')
beforeAll(async () => {
  db = await openTestDatabase()
  actorId = uuidv7()
  await insertUser(db.sql, { id: actorId, name: 'Merger', email: null, role: 'admin', tokenHash: new Uint8Array(32), telegramId: null, inboxes: [] })
})
afterAll(async () => {
  await db.close()
})

async function contact(fields: Partial<ContactFields>, identities: Identity[] = []): Promise<string> {
  const r = await insertContact(db.sql, { id: uuidv7(), fields: { ...EMPTY_CONTACT_FIELDS, ...fields }, ownerId: null, preference: 'proactive', source: 'manual', issues: [], identities, now: NOW })
  if (!r.ok) throw new Error(`conflict on ${r.conflict.field}`)
  return r.contact.id
}

const merge = (primaryId: string, duplicateIds: string[]) =>
  mergeContactRecords(db.sql, { id: uuidv7(), primaryId, duplicateIds, actorId, now: NOW }, (p, d) => mergeContacts(p, d))

const undo = (id: string) => undoMergeRecord(db.sql, { id, actorId, now: NOW })

describe('merges in storage', () => {
  it('moves the duplicate’s ids and messages to the primary, keeps its mobile as another, and undo puts everything back', async () => {
    const primary = await contact({ name: 'Ann Lee', email: 'ann@example.com' })
    const dup = await contact({ name: 'Ann Lee', mobile: '+447400200001' }, [{ channel: 'messenger', externalId: 'PSID-ANN' }])
    await db.sql`insert into messages (id, channel, external_id, direction, contact_id, account_id, type, text, raw, sent_at)
                 values (${uuidv7()}, 'messenger', 'mid.ann', 'inbound', ${dup}, 'PAGE', 'text', 'hi', '{}'::jsonb, ${NOW})`
    const merged = await merge(primary, [dup])
    expect(merged.ok && merged.contact).toMatchObject({ id: primary, mobile: '+447400200001', email: 'ann@example.com' })
    expect(await mergedInto(db.sql, dup)).toBe(primary)
    const [moved] = await db.sql<{ ids: number; messages: number }[]>`
      select (select count(*)::int from identities where contact_id = ${primary}) as ids, (select count(*)::int from messages where contact_id = ${primary}) as messages`
    expect(moved).toEqual({ ids: 1, messages: 1 })

    const undone = await undo(merged.ok ? merged.merge.id : '')
    expect(undone.ok && undone.contact).toMatchObject({ id: primary, mobile: null, email: 'ann@example.com' })
    expect(await getActiveContact(db.sql, dup)).toMatchObject({ mobile: '+447400200001', identities: [{ channel: 'messenger', externalId: 'PSID-ANN' }] })
    const [back] = await db.sql<{ n: number }[]>`select count(*)::int as n from messages where contact_id = ${dup}`
    expect(back?.n).toBe(1)
    expect(await undo(merged.ok ? merged.merge.id : '')).toMatchObject({ ok: false, alreadyUndone: NOW.toISOString() })
  })

  it('keeps each contact’s channels and whether it has a chat, the facets a filtered page reads, through a merge and its undo', async () => {
    const primary = await contact({ name: 'Bo Ray', email: 'bo@example.com' }, [{ channel: 'whatsapp', externalId: '447400200031' }])
    const dup = await contact({ name: 'Bo Ray' }, [{ channel: 'instagram', externalId: 'IG-BO' }])
    await db.sql`insert into chats (id, contact_id, channel, account_id, created_at, last_message_at) values (${uuidv7()}, ${dup}, 'instagram', 'IG', ${NOW}, ${NOW})`
    const facets = async () => Object.fromEntries((await db.sql<{ id: string; channels: string[]; has_chat: boolean }[]>`
      select id, channels, has_chat from contacts where id in (${primary}, ${dup})`).map((r) => [r.id === primary ? 'primary' : 'dup', [r.channels, r.has_chat]]))
    expect(await facets()).toEqual({ primary: [['whatsapp'], false], dup: [['instagram'], true] })
    const merged = await merge(primary, [dup])
    expect(await facets()).toEqual({ primary: [['instagram', 'whatsapp'], true], dup: [[], false] })
    await undo(merged.ok ? merged.merge.id : '')
    expect(await facets()).toEqual({ primary: [['whatsapp'], false], dup: [['instagram'], true] })
    await db.sql`delete from identities where contact_id = ${primary}`
    expect((await facets())['primary']).toEqual([[], false])
  })

  it('refuses unknown and inactive contacts, and an undo once another contact took a duplicate’s mobile', async () => {
    const a = await contact({ name: 'A', mobile: '+447400200010' })
    const b = await contact({ name: 'B', mobile: '+447400200011' })
    const unknown = uuidv7()
    expect(await merge(a, [unknown])).toEqual({ ok: false, notFound: [unknown] })
    const merged = await merge(a, [b])
    expect(await merge(a, [b])).toEqual({ ok: false, inactive: [b] })
    // The merged contact gives up the mobile it took over, and a new contact takes it: undoing would make twins.
    await db.sql`update contacts set other_mobiles = '{}' where id = ${a}`
    await contact({ name: 'Newcomer', mobile: '+447400200011' })
    expect(await undo(merged.ok ? merged.merge.id : '')).toMatchObject({ ok: false, changed: expect.stringMatching(/mobile or email/) })
    expect(await getActiveContact(db.sql, b)).toBeNull()
  })

  it('finds a pair by the same name and number under two country codes until it is dismissed', async () => {
    const x = await contact({ name: 'Jo  Bloggs', mobile: '+447400200021' })
    const y = await contact({ name: 'jo bloggs', mobile: '+917400200021' })
    const reasons = (await findDuplicatePairs(db.sql, 100)).filter((p) => pairKey(p.a, p.b) === pairKey(x, y)).map((p) => p.reason)
    expect(reasons.sort()).toEqual(['same_name', 'same_name_and_number'])
    expect(await dismissDuplicates(db.sql, [x, y, uuidv7()], actorId, NOW)).toMatchObject({ ok: false })
    expect(await dismissDuplicates(db.sql, [y, x], actorId, NOW)).toEqual({ ok: true })
    expect((await dismissedPairs(db.sql)).has(pairKey(x, y))).toBe(true)
  })
})
