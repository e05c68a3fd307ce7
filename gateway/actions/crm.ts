import { CRM_NAMES, readCrmRecord, type CrmField, type CrmRecord, type CrmSystem } from '../../domain/crm.ts'
import { applyCrmRecord, recordCrmPage, type CrmOutcome, type CrmRowResult } from '../../storage/crm.ts'
import { createImport, finishImport, getImport, recordImportFormat, resumePoint } from '../../storage/imports/history.ts'
import { activeUserIdByEmail, builtinAdminId, type User } from '../../storage/users.ts'
import { CrmUnavailable, type CrmClient } from '../clients/crm-client.ts'
import { hubspotClient } from '../clients/hubspot.ts'
import { zohoClient } from '../clients/zoho.ts'
import type { Deps } from '../deps.ts'
import { AppError } from './errors.ts'
import { followImport, requireBackgroundJobs } from './imports.ts'

/** The CRM's API client, or 503 when its access token is not configured. */
export function crmClient(deps: Deps, system: CrmSystem): CrmClient {
  if (system === 'hubspot') {
    const { accessToken, apiBase } = deps.config.hubspot
    if (accessToken === undefined) throw new AppError('not_configured', 'HUBSPOT_ACCESS_TOKEN is not set; HubSpot is off.')
    return hubspotClient(apiBase, accessToken)
  }
  const { accessToken, apiBase } = deps.config.zoho
  if (accessToken === undefined) throw new AppError('not_configured', 'ZOHO_ACCESS_TOKEN is not set; Zoho is off.')
  return zohoClient(apiBase, accessToken)
}

/**
 * Who owns a contact a CRM creates: the user whose email is the CRM record's owner's, else CRM_DEFAULT_OWNER's user,
 * else the built-in admin. Each email is looked up once per push or sync.
 */
function crmOwners(deps: Deps): (ownerEmail: string | null | undefined) => Promise<string | null> {
  const known = new Map<string, Promise<string | null>>()
  const byEmail = (email: string) => {
    const key = email.trim().toLowerCase()
    let found = known.get(key)
    if (found === undefined) known.set(key, (found = activeUserIdByEmail(deps.sql, key)))
    return found
  }
  const fallback = async () => {
    const configured = deps.config.crmDefaultOwner === undefined ? null : await byEmail(deps.config.crmDefaultOwner)
    return configured ?? (await builtinAdminId(deps.sql))
  }
  return async (ownerEmail) => (ownerEmail === null || ownerEmail === undefined || ownerEmail.trim() === '' ? null : await byEmail(ownerEmail)) ?? fallback()
}

async function applyRecord(deps: Deps, client: CrmClient, record: CrmRecord, ownerOf: ReturnType<typeof crmOwners>, importId: string | null = null): Promise<CrmOutcome> {
  const read = readCrmRecord(client.system, record, client.properties, deps.now().toISOString().slice(0, 10))
  if (!read.ok) return { kind: 'failed', reason: read.reason }
  return applyCrmRecord(deps.sql, {
    system: client.system, externalId: read.externalId, patch: read.patch, issues: read.issues, phoneGiven: read.phoneGiven,
    ownerId: await ownerOf(record.ownerEmail), preference: 'reactive', newId: deps.newId, now: deps.now(), importId,
  })
}

export type CrmPushTally = { imported: number; updated: number; failed: number }

/**
 * A CRM push names records that changed; they are read back from the CRM (pushes carry only what changed, or
 * nothing but ids) and applied one by one. A record that cannot be applied is logged with its reason; the CRM
 * is not asked to retry it, since it would fail the same way.
 */
export async function applyCrmPush(deps: Deps, system: CrmSystem, ids: string[]): Promise<CrmPushTally> {
  const client = crmClient(deps, system)
  const tally: CrmPushTally = { imported: 0, updated: 0, failed: 0 }
  let records: CrmRecord[]
  try {
    records = await client.fetchByIds([...new Set(ids)])
  } catch (error) {
    if (error instanceof CrmUnavailable) throw new AppError('upstream_unavailable', `${error.message}; send the push again later.`)
    throw error
  }
  const ownerOf = crmOwners(deps)
  for (const record of records) {
    const outcome = await applyRecord(deps, client, record, ownerOf)
    tally[outcome.kind]++
    if (outcome.kind === 'failed') deps.logger.warn({ crm: system, recordId: record.id, reason: outcome.reason }, 'CRM record not applied')
  }
  return tally
}

function rowData(client: CrmClient, record: CrmRecord): string[] {
  return [record.id, ...(Object.keys(client.properties) as CrmField[]).map((f) => record.values[f] ?? '')]
}

/**
 * Starts pulling every contact from the CRM, recorded in the import history (source hubspot/zoho) like a file:
 * records are numbered in the order the CRM lists them, existing contacts are updated, and every record that
 * could not be applied is kept with its reason. A `crm-sync` job runs it after the answer.
 */
export async function startCrmSync(deps: Deps, system: CrmSystem, actor: User): Promise<{ id: string; follow(): Promise<void> }> {
  requireBackgroundJobs(deps)
  const client = crmClient(deps, system)
  const id = deps.newId()
  await createImport(deps.sql, { id, source: system, fileName: null, ownerId: actor.id, onDuplicate: 'update', bytesTotal: null, runnerId: null, now: deps.now() })
  await recordImportFormat(deps.sql, id, { headers: ['id', ...Object.values(client.properties)], ignoredColumns: [], encoding: 'UTF-8', delimiter: ',' })
  try {
    await deps.jobs.send('crm-sync', { importId: id, system })
  } catch (error) {
    await finishImport(deps.sql, id, { status: 'failed', reason: `the sync could not be queued: ${error instanceof Error ? error.message : String(error)}` }, deps.now())
    throw error
  }
  return { id, follow: () => followImport(deps, id, undefined).then(() => {}) }
}

/**
 * The `crm-sync` job: pages through every CRM contact and applies each record. Retried after its process stopped,
 * it reads the CRM from the start again and skips the records its saved pages counted (applying a record twice
 * changes nothing; counting it twice would).
 */
export async function runCrmSyncJob(deps: Deps, id: string, system: CrmSystem): Promise<void> {
  const found = await getImport(deps.sql, id)
  const point = await resumePoint(deps.sql, id)
  if (found === null || point === null || found.status !== 'in_progress') return
  let row = 0
  try {
    const client = crmClient(deps, system)
    const ownerOf = crmOwners(deps)
    for await (const page of client.pages()) {
      const results: CrmRowResult[] = []
      try {
        for (const record of page) {
          row++
          if (row <= point.rowsDone) continue
          results.push({ row, externalId: record.id, outcome: await applyRecord(deps, client, record, ownerOf, id), data: rowData(client, record) })
        }
      } finally {
        // Counted even when the page breaks off, so that the counts match the contacts written.
        if (results.length > 0) await recordCrmPage(deps.sql, id, results)
      }
    }
    await finishImport(deps.sql, id, { status: 'completed' }, deps.now())
  } catch (error) {
    const reason = error instanceof CrmUnavailable ? `${error.message}; the ${row} records read before were saved, sync again for the rest` : `the sync stopped: ${error instanceof Error ? error.message : String(error)}`
    deps.logger.warn({ err: error, importId: id, crm: CRM_NAMES[system] }, 'CRM sync stopped')
    await finishImport(deps.sql, id, { status: 'failed', reason }, deps.now()).catch(() => {})
  }
}
