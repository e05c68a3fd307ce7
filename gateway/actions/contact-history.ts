import { getActiveContact, mergedInto } from '../../storage/contacts.ts'
import { listHistory, type HistoryEntry } from '../../storage/history.ts'
import type { TimeCursor, TimePage } from '../../storage/pages.ts'
import type { Deps } from '../deps.ts'

/** A contact's history, newest first: who changed what, when, through which door. */
export function contactHistory(deps: Deps, contactId: string, limit: number, after: TimeCursor | null): Promise<TimePage<HistoryEntry>> {
  return listHistory(deps.sql, contactId, limit, after)
}

/** The same for a contact that exists or was merged away (its history says where it went); null otherwise. */
export async function historyOfKnownContact(deps: Deps, contactId: string, limit: number, after: TimeCursor | null): Promise<TimePage<HistoryEntry> | null> {
  if ((await getActiveContact(deps.sql, contactId)) === null && (await mergedInto(deps.sql, contactId)) === null) return null
  return listHistory(deps.sql, contactId, limit, after)
}
