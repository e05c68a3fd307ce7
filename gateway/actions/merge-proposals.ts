import { randomBytes } from 'node:crypto'
import type { Contact } from '../../domain/contact.ts'
import { checkMergeRequest, mergeContacts, type MergeResult } from '../../domain/merge.ts'
import { getActiveContacts } from '../../storage/contacts.ts'
import { savePendingMerge, takePendingMerge, type PendingMerge } from '../../storage/pending-merges.ts'
import type { User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'

const CONFIRM_WITHIN_MS = 10 * 60_000

export type MergeProposal = { token: string; primary: Contact; duplicates: Contact[]; result: MergeResult }

/**
 * A merge shown before it is done (the bot's /merge): what the primary would become, kept for ten minutes under a
 * token the person who asked presses to confirm. It is kept in the database, so any gateway process can take it.
 * A refusal is a sentence saying why nothing would be merged.
 */
export async function proposeMerge(deps: Deps, actor: User, primaryId: string, duplicateIds: string[]): Promise<{ ok: true; proposal: MergeProposal } | { ok: false; why: string }> {
  const problem = checkMergeRequest(primaryId, duplicateIds)
  if (problem !== null) return { ok: false, why: problem.message }
  const found = await getActiveContacts(deps.sql, [primaryId, ...duplicateIds])
  const primary = found.get(primaryId)
  const duplicates = duplicateIds.flatMap((id) => found.get(id) ?? [])
  if (primary === undefined || duplicates.length < duplicateIds.length) {
    const missing = [primaryId, ...duplicateIds].filter((id) => !found.has(id))
    return { ok: false, why: `no active contact has the id ${missing.join(', ')}` }
  }
  const token = randomBytes(9).toString('base64url')
  const now = deps.now()
  await savePendingMerge(deps.sql, { token, actorId: actor.id, primaryId, duplicateIds, expiresAt: new Date(now.getTime() + CONFIRM_WITHIN_MS) }, now)
  return { ok: true, proposal: { token, primary, duplicates, result: mergeContacts(primary, duplicates) } }
}

/** The proposal behind a token, once and only for the person who asked; null when it expired or was taken. */
export function takeMergeProposal(deps: Deps, actor: User, token: string): Promise<PendingMerge | null> {
  return takePendingMerge(deps.sql, token, actor.id, deps.now())
}
