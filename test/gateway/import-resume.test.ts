import { afterAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN } from '../helpers/app.ts'
import { processGroup, type GatewayProcess } from '../helpers/process.ts'

// An import is a job: when the process running it is killed, another process (on a PostgreSQL server) or the
// same one started again (the embedded database) carries it on from its last saved batch.
const groups: Awaited<ReturnType<typeof processGroup>>[] = []
afterAll(async () => {
  for (const group of groups) await group.close()
})

const ROWS = 100_000
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }

/** Every 50th row repeats row 1's number (a duplicate); every 77th other row has an unreadable one (failed). */
function file(): { csv: string; expected: { totalRows: number; imported: number; duplicates: number; failed: number } } {
  const lines = ['Name,Mobile']
  let duplicates = 0
  let failed = 0
  for (let i = 1; i <= ROWS; i++) {
    if (i % 50 === 0) {
      duplicates++
      lines.push(`Twin ${i},+447300000001`)
    } else if (i % 77 === 0) {
      failed++
      lines.push(`Broken ${i},not a number`)
    } else {
      lines.push(`Person ${i},+4473${String(i).padStart(8, '0')}`)
    }
  }
  return { csv: `${lines.join('\n')}\n`, expected: { totalRows: ROWS, imported: ROWS - duplicates - failed, duplicates, failed } }
}

type ImportView = { status: string; totalRows: number; imported: number; updated: number; duplicates: number; failed: number; failureReason: string | null }

describe('an import whose process is killed', () => {
  it('finishes on another process, or the same one started again, with the counts of an uninterrupted run and no twins', async () => {
    const group = await processGroup({ ADMIN_API_TOKEN: ADMIN_TOKEN, WORKERS: 'on', DEFAULT_COUNTRY: 'GB' })
    groups.push(group)
    const start = () => group.start()
    const { csv, expected } = file()
    const first = await start()
    const res = await fetch(`${first.url}/v1/imports?fileName=resume.csv`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: csv })
    expect(res.status).toBe(202)
    const { id } = (await res.json()) as { id: string }
    const view = async (p: GatewayProcess) => (await (await fetch(`${p.url}/v1/imports/${id}`, { headers: auth })).json()) as ImportView

    // Killed once some batches are saved and well before the end.
    await expect.poll(async () => (await view(first)).totalRows, { timeout: 120_000, interval: 50 }).toBeGreaterThanOrEqual(ROWS / 10)
    const before = await view(first)
    await first.kill()
    expect(before.status).toBe('in_progress')
    expect(before.totalRows).toBeLessThan(ROWS)

    const second = await start()
    await expect.poll(async () => (await view(second)).status, { timeout: 240_000, interval: 500 }).toBe('completed')
    expect(await view(second)).toMatchObject({ ...expected, updated: 0, failureReason: null })
    const contacts = (await (await fetch(`${second.url}/v1/contacts?limit=1&q=${encodeURIComponent('+447300000001')}`, { headers: auth })).json()) as { items: unknown[] }
    expect(contacts.items).toHaveLength(1)
    const jobs = (await (await fetch(`${second.url}/v1/jobs?kind=import`, { headers: auth })).json()) as { items: { status: string; attempts: number }[] }
    expect(jobs.items).toEqual([expect.objectContaining({ status: 'completed', attempts: 2 })])
    // No twins: every number that was imported is one contact, checked through the export of the whole book.
    const exported = await (await fetch(`${second.url}/v1/contacts/export.csv`, { headers: auth })).text()
    const mobiles = exported.split('\n').slice(1).filter((line) => line.trim() !== '').map((line) => /\+44\d+/.exec(line)?.[0])
    expect(mobiles).toHaveLength(expected.imported)
    expect(new Set(mobiles).size).toBe(expected.imported)
  }, 600_000)
})
