import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import type { Deps } from '../../gateway/deps.ts'
import { hashToken } from '../../gateway/infra/tokens.ts'
import type { Database } from '../../storage/db.ts'
import { findUserByTokenHash, listUsers } from '../../storage/users.ts'
import { openTestDatabase } from '../helpers/db.ts'

let db: Database
beforeAll(async () => {
  db = await openTestDatabase()
})
afterAll(async () => {
  await db.close()
})

function depsWith(env: Record<string, string>): Deps {
  return buildDeps(parseConfig(env), db.sql, { logger: pino({ level: 'silent' }) }).deps
}

describe('the built-in admin', () => {
  it('gets a generated token on the first start only, stored as a hash', async () => {
    const first = await ensureBootstrapAdmin(depsWith({}))
    expect(first).toMatch(/^cg_/)
    expect(await ensureBootstrapAdmin(depsWith({}))).toBeNull()
    const admin = await findUserByTokenHash(db.sql, await hashToken(first ?? ''))
    expect(admin).toMatchObject({ name: 'Admin', role: 'admin' })
    const stored = await db.sql`select token_hash from users where token_hash = ${Buffer.from(first ?? '')}`
    expect(stored).toHaveLength(0)
  })

  it('moves to ADMIN_API_TOKEN when it is set, retiring the old token', async () => {
    const configured = 'a-configured-admin-token-1234567890'
    expect(await ensureBootstrapAdmin(depsWith({ ADMIN_API_TOKEN: configured }))).toBeNull()
    expect(await findUserByTokenHash(db.sql, await hashToken(configured))).toMatchObject({ role: 'admin' })
    expect((await listUsers(db.sql)).filter((u) => u.role === 'admin')).toHaveLength(1)
  })
})
