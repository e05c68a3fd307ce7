import type { JsonValue } from '../../storage/sql.ts'

/** Every kind of background job and what it carries: ids of what is stored, never the work itself. */
export type JobData = {
  /** A file import (or a CRM sync) to run, or to resume after the process that ran it stopped. */
  import: { importId: string }
  /** A pull of every CRM contact, recorded as an import. */
  'crm-sync': { importId: string; system: 'hubspot' | 'zoho' }
  /** A Telegram update for the admin bot, as Telegram sent it. */
  'telegram-update': { update: { update_id: number } & Record<string, JsonValue> }
  /** A bot reply the Bot API did not take in time, sent again until it does. */
  'bot-reply': { method: string; payload: Record<string, JsonValue> }
  /** Drafts not started within a day are deleted with their files. */
  'draft-expiry': Record<string, never>
}
export type JobKind = keyof JobData
export const JOB_KINDS = ['import', 'crm-sync', 'telegram-update', 'bot-reply', 'draft-expiry'] as const satisfies readonly JobKind[]

export type JobHandlers = { [K in JobKind]: (data: JobData[K]) => Promise<void> }

/** Where actions put work that need not finish before the answer; any process with WORKERS=on runs it. */
export interface JobQueue {
  send<K extends JobKind>(kind: K, data: JobData[K]): Promise<void>
}

/**
 * Runs a job at once, in the caller's request: where nothing may run after the answer and no worker takes jobs
 * (Cloudflare Workers), a webhook is then handled before it is answered, as it was before there were jobs.
 */
export function inlineQueue(handlers: () => JobHandlers): JobQueue {
  return { send: (kind, data) => handlers()[kind](data) }
}
