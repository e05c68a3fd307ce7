import type { CrmField, CrmRecord, CrmSystem } from '../../domain/crm.ts'

export class CrmUnavailable extends Error {}

/** What the gateway needs from a CRM: its property names, records by id (for pushes), and every record (for syncs). */
export interface CrmClient {
  system: CrmSystem
  properties: Record<CrmField, string>
  fetchByIds(ids: string[]): Promise<CrmRecord[]>
  /** Every contact record, a page at a time. */
  pages(): AsyncIterable<CrmRecord[]>
}

const TIMEOUT_MS = 15_000

/**
 * GETs JSON with a timeout; a network failure, a timeout or a non-2xx answer is CrmUnavailable. 204 No Content is
 * null, and so is 404 when `missingIsNull` (a record the CRM no longer has).
 */
export async function crmJson(system: string, url: string, headers: Record<string, string>, options: { missingIsNull?: boolean } = {}): Promise<unknown> {
  let res: Response
  try {
    res = await fetch(url, { headers: { accept: 'application/json', ...headers }, signal: AbortSignal.timeout(TIMEOUT_MS) })
  } catch (error) {
    throw new CrmUnavailable(`${system} did not answer: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (res.status === 204 || (res.status === 404 && options.missingIsNull === true)) return null
  const text = await res.text()
  if (!res.ok) throw new CrmUnavailable(`${system} answered ${res.status}: ${text.slice(0, 300)}`)
  try {
    return text === '' ? null : JSON.parse(text)
  } catch {
    throw new CrmUnavailable(`${system} answered with something that is not JSON`)
  }
}

const READ_CONCURRENCY = 4

/** Reads records one by one, a few at a time, in the order asked; ids the CRM no longer has are left out. */
export async function readEach(ids: string[], read: (id: string) => Promise<CrmRecord | null>): Promise<CrmRecord[]> {
  const found: (CrmRecord | null)[] = new Array(ids.length).fill(null)
  let next = 0
  const worker = async () => {
    while (next < ids.length) {
      const i = next++
      found[i] = await read(ids[i] as string)
    }
  }
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, ids.length) }, worker))
  return found.filter((r): r is CrmRecord => r !== null)
}

/** A property value as text: CRMs send strings, numbers, and (Zoho) lookups as {name, id}. */
export function propertyText(value: unknown): string | null {
  if (typeof value === 'string') return value
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'object' && value !== null && 'name' in value && typeof value.name === 'string') return value.name
  return null
}
