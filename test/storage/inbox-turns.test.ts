import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { loadMigrations, migrate } from '../../storage/migrate.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'
import { waText } from '../helpers/meta.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp(META_ENV)
})
afterAll(async () => {
  await t.close()
})

async function turnsOf(sql: postgres.Sql, channel: string, accountId: string): Promise<number> {
  const [row] = await sql<{ n: string }[]>`select inbox_turn(${channel}, ${accountId}) as n`
  return Number(row?.n)
}

describe('round-robin turns', () => {
  it('create no catalog object per inbox', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await deliver(t, 'whatsapp', waText({ phoneNumberId: `PNID_TURNS_${i}`, waId: `4474007100${i}0`, id: `wamid.turns${i}`, text: 'first' }))
      expect(res.status).toBe(200)
    }
    const [row] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from pg_class where relname like 'inbox\\_turn\\_%'`
    expect(row?.n).toBe(0)
  })

  it('are handed out once each, from 0, when the first uses of new inboxes come at the same moment', async () => {
    // Separate connections, as separate requests and processes have: the embedded database has one session only.
    const pool = usingServer() ? postgres(t.db.url, { max: 10, onnotice: () => {} }) : (t.deps.sql as unknown as postgres.Sql)
    try {
      const inboxes = Array.from({ length: usingServer() ? 200 : 10 }, (_, i) => `PNID_RACE_${i}`)
      const results = await Promise.allSettled(inboxes.flatMap((inbox) => Array.from({ length: 8 }, () => turnsOf(pool, 'whatsapp', inbox))))
      const failures = results.filter((r) => r.status === 'rejected')
      expect(failures.map((f) => String((f as PromiseRejectedResult).reason))).toEqual([])
      const turns = results.map((r) => (r as PromiseFulfilledResult<number>).value)
      for (let i = 0; i < inboxes.length; i++) expect(turns.slice(i * 8, i * 8 + 8).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    } finally {
      if (usingServer()) await pool.end()
    }
  })

  it('carry on from the per-inbox sequences of a database migrated before', async () => {
    const older = await openTestDatabase()
    try {
      await older.sql`drop schema public cascade`
      await older.sql`create schema public`
      const all = await loadMigrations()
      await migrate(older.sql, all.filter((m) => m.version < 12))
      await older.sql`insert into inboxes (channel, account_id) values ('whatsapp', 'PNID_OLD')`
      for (const expected of [0, 1, 2]) expect(await turnsOf(older.sql as unknown as postgres.Sql, 'whatsapp', 'PNID_OLD')).toBe(expected)
      await migrate(older.sql, all)
      expect(await turnsOf(older.sql as unknown as postgres.Sql, 'whatsapp', 'PNID_OLD')).toBe(3)
      const [row] = await older.sql<{ n: number }[]>`select count(*)::int as n from pg_class where relname like 'inbox\\_turn\\_%'`
      expect(row?.n).toBe(0)
    } finally {
      await older.close()
    }
  })
})
