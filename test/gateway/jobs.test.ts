import postgres from 'postgres'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { pgBossJobs } from '../../gateway/jobs/pg-boss.ts'
import type { Sql } from '../../storage/sql.ts'
import { listJobs } from '../../storage/jobs.ts'
import { openTestDatabase, usingServer } from '../helpers/db.ts'

const closers: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const close of closers.reverse()) await close()
})

describe('the job queue on a fresh database', () => {
  it('starts in two processes at once, and both send jobs to the one queue', async () => {
    const db = await openTestDatabase()
    closers.push(() => db.close())
    // Two processes: two pools on a server; on the embedded database its one connection, shared.
    const other = usingServer() ? postgres(db.url, { max: 4, onnotice: () => {} }) as unknown as Sql : db.sql
    if (other !== db.sql) closers.push(() => (other as unknown as ReturnType<typeof postgres>).end())
    const silent = () => pino({ level: 'silent' })
    const first = pgBossJobs(db.sql, silent)
    const second = pgBossJobs(other, silent)
    closers.push(() => first.stop(), () => second.stop())
    const started = Promise.all([first.queue.send('draft-expiry', {}), second.queue.send('draft-expiry', {})])
    await started
    const queued = await listJobs(db.sql, { kind: 'draft-expiry', state: 'created' }, 10)
    expect(queued).toHaveLength(2)
  })
})
