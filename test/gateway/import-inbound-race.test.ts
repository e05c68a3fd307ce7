import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deliver, META_ENV, startTestApp, type TestApp } from '../helpers/app.ts'
import { usingServer } from '../helpers/db.ts'
import { POLLING_ENV, postCsv, type ImportJson } from '../helpers/imports.ts'
import { json } from '../helpers/app.ts'
import { waText } from '../helpers/meta.ts'

// An import while WhatsApp messages arrive from the same numbers: on PostgreSQL both sides race for the same
// mobiles on many connections (on the embedded database there is one session, so they take turns).
const ROWS = usingServer() ? 8000 : 1500
const IN_FLIGHT = 20

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ ...META_ENV, ...POLLING_ENV })
})
afterAll(async () => {
  await t.close()
})

const waIdOf = (row: number) => `4474009${String(row).padStart(5, '0')}`

describe('an import racing inbound messages from the same numbers', () => {
  it('finishes with every row accounted for, and every delivery answers 200 linked to the one contact', async () => {
    const csv = `Name,Mobile\n${Array.from({ length: ROWS }, (_, i) => `Racer ${i},+${waIdOf(i)}`).join('\n')}\n`
    const res = await postCsv(t, csv)
    expect(res.status).toBe(202)
    const { id } = await json<{ id: string }>(res)
    let status = 'in_progress'
    let progress = 0
    const statuses = new Map<number, number>()
    const latencies: number[] = []
    let sent = 0
    const started = Date.now()
    const sender = async (worker: number) => {
      // Messages come for the rows of the batch being written and the next one: the numbers the import races for.
      for (let i = 0; status === 'in_progress'; i++) {
        const row = Math.min(ROWS - 1, progress + ((worker * 397 + i * 53) % 2000))
        const at = performance.now()
        const answer = await deliver(t, 'whatsapp', waText({ waId: waIdOf(row), name: `Racer ${row}`, id: `wamid.race.${worker}.${i}`, text: 'hello' }))
        latencies.push(performance.now() - at)
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1)
        sent++
      }
    }
    const senders = Array.from({ length: IN_FLIGHT }, (_, w) => sender(w))
    let summary: ImportJson | undefined
    await expect.poll(async () => {
      summary = await json<ImportJson>(await t.call('GET', `/v1/imports/${id}`))
      status = summary.status
      progress = summary.totalRows
      return status
    }, { timeout: 240_000, interval: 100 }).not.toBe('in_progress')
    status = 'done'
    await Promise.all(senders)
    latencies.sort((a, b) => a - b)
    console.log(JSON.stringify({
      rows: ROWS, inFlight: IN_FLIGHT, deliveries: sent, statuses: Object.fromEntries(statuses), importSeconds: (Date.now() - started) / 1000,
      p50ms: Math.round(latencies[Math.floor(latencies.length / 2)] ?? 0), p99ms: Math.round(latencies[Math.floor(latencies.length * 0.99)] ?? 0),
      summary: { status: summary?.status, failureReason: summary?.failureReason, totalRows: summary?.totalRows, imported: summary?.imported, duplicates: summary?.duplicates, failed: summary?.failed },
    }))
    expect(summary).toMatchObject({ status: 'completed', failureReason: null, totalRows: ROWS, failed: 0 })
    expect((summary?.imported ?? 0) + (summary?.duplicates ?? 0)).toBe(ROWS)
    expect([...statuses.keys()]).toEqual([200])
    const twins = await t.deps.sql`select mobile from contacts where active and mobile like '+4474009%' group by mobile having count(*) > 1`
    expect(twins).toEqual([])
    const [unlinked] = await t.deps.sql<{ n: number }[]>`
      select count(*)::int as n from messages m where m.external_id like 'wamid.race.%' and m.contact_id is distinct from (
        select c.id from contacts c where c.active and c.mobile = '+' || (m.raw ->> 'from'))`
    expect(unlinked?.n).toBe(0)
  }, 300_000)
})
