import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { importCsv, POLLING_ENV, postCsv } from '../helpers/imports.ts'

let t: TestApp
beforeAll(async () => {
  t = await startTestApp({ DEFAULT_COUNTRY: 'GB', ...POLLING_ENV })
})
afterAll(async () => {
  await t.close()
})

function wideFile(extraColumns: number): string {
  const header = ['Mobile', ...Array.from({ length: extraColumns }, (_, i) => `Extra ${i + 1}`)]
  const row = ['07400 800001', ...Array.from({ length: extraColumns }, () => 'x')]
  return `${header.join(',')}\n${row.join(',')}\n`
}

describe('columns of an import', () => {
  it('refuses a file with more than 1,000 columns with 422, writing nothing', async () => {
    const res = await postCsv(t, wideFile(1000))
    expect(res.status).toBe(422)
    const { error } = await json<{ error: { code: string; message: string } }>(res)
    expect(error.code).toBe('too_many_columns')
    expect(error.message).toContain('1001 columns')
    expect(error.message).toContain('1000')
    const [row] = await t.deps.sql<{ n: number }[]>`select count(*)::int as n from imports`
    expect(row?.n).toBe(0)
  })

  it('stores the first 100 ignored column names and how many there were', async () => {
    const { summary } = await importCsv(t, wideFile(999))
    expect(summary).toMatchObject({ status: 'completed', imported: 1 })
    expect(summary.ignoredColumns).toHaveLength(100)
    expect(summary.ignoredColumns[0]).toBe('Extra 1')
    expect(summary.ignoredColumns[99]).toBe('Extra 100')
    expect((summary as unknown as { ignoredColumnCount: number }).ignoredColumnCount).toBe(999)
    const [stored] = await t.deps.sql<{ n: number }[]>`select cardinality(ignored_columns) as n from imports where id = ${summary.id}`
    expect(stored?.n).toBe(100)
  })
})
