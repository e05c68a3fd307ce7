import { expect, vi } from 'vitest'
import { ADMIN_TOKEN, json, type TestApp } from './app.ts'

export type ImportJson = {
  id: string; status: string; failureReason: string | null; totalRows: number; imported: number; updated: number
  duplicates: number; failed: number; warnings: number; ignoredColumns: string[]; encoding: string; delimiter: string; fileName: string | null
  ownerId: string; source: string; createdAt: string; finishedAt: string | null; processedRows: number
}
export type FailureJson = { row: number; kind: 'failed' | 'duplicate' | 'warning'; reason: string; data: Record<string, string>; duplicateOf: string | null }

/**
 * Tests poll an import every 20 ms as fast as a client could; on a loaded machine that passes the default
 * 600 requests a minute per token, so suites that poll lift the limit (the limit has tests of its own).
 */
export const POLLING_ENV = { ADMIN_RATE_LIMIT_PER_MINUTE: '1000000' }

export async function postCsv(t: TestApp, body: string | Uint8Array, query = '', headers: Record<string, string> = {}): Promise<Response> {
  return t.app.request(`/v1/imports${query}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', ...headers },
    body,
  })
}

/** Polls the import until it is no longer in progress, as a client would. */
export function waitForImport(t: TestApp, id: string, token = ADMIN_TOKEN): Promise<ImportJson> {
  return vi.waitFor(async () => {
    const res = await t.app.request(`/v1/imports/${id}`, { headers: { authorization: `Bearer ${token}` } })
    expect(res.status, await res.clone().text()).toBe(200)
    const body = await json<ImportJson>(res)
    expect(body.status, `import ${id} is still in progress`).not.toBe('in_progress')
    return body
  }, { timeout: 30_000, interval: 20 })
}

export async function importCsv(t: TestApp, body: string | Uint8Array, query = ''): Promise<{ summary: ImportJson; failures: FailureJson[] }> {
  const res = await postCsv(t, body, query)
  const started = await json<{ id: string; status: string }>(res)
  expect(res.status, JSON.stringify(started)).toBe(202)
  expect(started.status).toBe('in_progress')
  const summary = await waitForImport(t, started.id)
  const failures = await json<FailureJson[]>(await t.call('GET', `/v1/imports/${started.id}/failures`))
  expect(summary.totalRows).toBe(summary.imported + summary.updated + summary.duplicates + summary.failed)
  expect(failures.length).toBe(summary.duplicates + summary.failed + summary.warnings)
  return { summary, failures }
}
