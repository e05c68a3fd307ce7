import { listHistory, type HistoryCursor, type HistoryEntry } from '../../storage/history.ts'
import type { Deps } from '../deps.ts'

/** A contact's history, newest first: who changed what, when, through which door. */
export function contactHistory(deps: Deps, contactId: string, limit: number, after: HistoryCursor | null): Promise<{ items: HistoryEntry[]; next: HistoryCursor | null }> {
  return listHistory(deps.sql, contactId, limit, after)
}
