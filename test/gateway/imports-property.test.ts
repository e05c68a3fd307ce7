import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json, startTestApp, type TestApp } from '../helpers/app.ts'
import { POLLING_ENV, postCsv, waitForImport, type FailureJson } from '../helpers/imports.ts'

let t: TestApp

beforeAll(async () => {
  t = await startTestApp({ ...POLLING_ENV, DEFAULT_COUNTRY: 'GB', IMPORT_MAX_MB: '8' })
})
afterAll(async () => {
  await t.close()
})

/** Posts any bytes; whatever the file, the answer is a refusal or an import that accounts for every row. */
async function checkImport(body: Uint8Array | string): Promise<void> {
  const res = await postCsv(t, body)
  if (res.status !== 202) {
    expect([400, 413, 422]).toContain(res.status)
    return
  }
  const { id } = await json<{ id: string }>(res)
  const s = await waitForImport(t, id)
  expect(['completed', 'failed']).toContain(s.status)
  expect(s.totalRows).toBe(s.imported + s.updated + s.duplicates + s.failed)
  const listed = await json<FailureJson[]>(await t.call('GET', `/v1/imports/${id}/failures`))
  // The list also names the imported rows that lost a value (kind "warning"); those are not rows missing.
  const failures = listed.filter((f) => f.kind !== 'warning')
  expect(failures).toHaveLength(s.duplicates + s.failed)
  for (const f of listed) expect(f.reason.length).toBeGreaterThan(0)
  expect(new Set(failures.map((f) => f.row)).size).toBe(failures.length)
}

const cell = fc.oneof(
  fc.constantFrom('', 'Jane', '+44 7400 123123', '07400 123124', 'jane@example.com', 'JANE@example.com', '=1+1', 'x'.repeat(300), '4.47E+11'),
  fc.string({ unit: fc.constantFrom('a', '1', '+', ' ', ',', ';', '"', '\n', '\r', '\t', '|', '@', '.', 'é', '\u0000') }),
)

describe('random CSV never breaks the import', () => {
  it('rows of hostile cells, broken quotes and stray delimiters', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(cell, { minLength: 0, maxLength: 6 }), { maxLength: 30 }), fc.constantFrom(',', ';', '\t'), async (rows, d) => {
        const text = ['Name,Phone,Email'.replaceAll(',', d), ...rows.map((r) => r.join(d))].join('\n')
        await checkImport(text)
      }),
      { numRuns: 60 },
    )
  })

  it('random bytes, with and without a header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.uint8Array({ maxLength: 2000 }), async (header, bytes) => {
        const head = header ? new TextEncoder().encode('phone,email\n') : new Uint8Array(0)
        await checkImport(new Uint8Array([...head, ...bytes]))
      }),
      { numRuns: 60 },
    )
  })

  it('a quote that never closes ends the file as one failed row', async () => {
    const res = await postCsv(t, 'Phone,Name\n+44 7400 555001,Ok\n+44 7400 555002,"never closed\n+44 7400 555003,Lost\n')
    const s = await waitForImport(t, (await json<{ id: string }>(res)).id)
    expect(s).toMatchObject({ status: 'completed', totalRows: 2, imported: 1, failed: 1 })
    const [f] = await json<FailureJson[]>(await t.call('GET', `/v1/imports/${s.id}/failures`))
    expect(f).toMatchObject({ row: 3, kind: 'failed' })
    expect(f?.reason).toContain('never closed')
  })

  it('a record too large to hold stops the import with a reason instead of exhausting memory', async () => {
    const huge = `Phone,Notes\n+44 7400 555010,ok\n+44 7400 555011,"${'z'.repeat(3 * 1024 * 1024)}\n+44 7400 555012,after\n`
    const res = await postCsv(t, huge)
    const s = await waitForImport(t, (await json<{ id: string }>(res)).id)
    expect(s.status).toBe('failed')
    expect(s.failureReason).toContain('row 3 is longer than')
    expect(s).toMatchObject({ imported: 1, failed: 1, totalRows: 2 })
  })
})
