import { mayChangeContact } from '../../domain/access.ts'
import type { Contact } from '../../domain/contact.ts'
import { checkMergeChoices, compareForMerge, type FieldAgreement, type MergeChoices, type MergeField } from '../../domain/merge-choices.ts'
import { checkMergeRequest, DUPLICATE_REASONS, groupDuplicates, mergeContacts, type DuplicateReason } from '../../domain/merge.ts'
import { getActiveContacts } from '../../storage/contacts.ts'
import { dismissDuplicates, dismissedPairs, findDuplicatePairs } from '../../storage/duplicates.ts'
import { mergeContactRecords, undoMergeRecord, type Merge } from '../../storage/merges.ts'
import type { User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { AppError } from './errors.ts'

/** How many candidate pairs one report looks at: enough for a person to work through, bounded for a big book. */
const MAX_PAIRS = 5000

export type DuplicateGroupView = { contacts: Contact[]; reasons: { code: DuplicateReason; message: string }[]; fields: Record<MergeField, FieldAgreement> }

export async function duplicateGroups(deps: Deps, limit: number): Promise<DuplicateGroupView[]> {
  const [pairs, dismissed] = await Promise.all([findDuplicatePairs(deps.sql, MAX_PAIRS), dismissedPairs(deps.sql)])
  const groups = groupDuplicates(pairs, dismissed).slice(0, limit)
  const contacts = await getActiveContacts(deps.sql, groups.flatMap((g) => g.contactIds))
  return groups.map((g) => {
    const members = g.contactIds.flatMap((id) => contacts.get(id) ?? [])
    return { contacts: members, reasons: g.reasons.map((code) => ({ code, message: DUPLICATE_REASONS[code] })), fields: compareForMerge(members) }
  })
}

export async function dismissDuplicateGroup(deps: Deps, actor: User, contactIds: string[]): Promise<void> {
  if (new Set(contactIds).size < 2) throw new AppError('validation_failed', 'contactIds must name at least two different contacts.', [{ field: 'contactIds', message: 'name at least two different contacts' }])
  const outcome = await dismissDuplicates(deps.sql, contactIds, actor.id, deps.now())
  if (!outcome.ok) throw new AppError('not_found', `No such contact: ${outcome.unknown.join(', ')}.`, { contactIds: outcome.unknown })
}

export async function mergeDuplicates(deps: Deps, actor: User, primaryId: string, duplicateIds: string[], choices: MergeChoices = {}): Promise<{ merge: Merge; contact: Contact }> {
  const problem = checkMergeRequest(primaryId, duplicateIds) ?? checkMergeChoices([primaryId, ...duplicateIds], choices)
  if (problem !== null) throw new AppError('validation_failed', `${problem.field}: ${problem.message}.`, [problem])
  if (actor.role !== 'admin') {
    const current = await getActiveContacts(deps.sql, [primaryId, ...duplicateIds])
    if ([...current.values()].some((c) => !mayChangeContact(actor, c.ownerId))) throw new AppError('forbidden', 'Agents merge only contacts they own or nobody owns.')
  }
  const outcome = await mergeContactRecords(deps.sql, { id: deps.newId(), primaryId, duplicateIds, actorId: actor.id, now: deps.now() }, (p, d) => mergeContacts(p, d, choices))
  if (outcome.ok) return outcome
  if ('notFound' in outcome) throw new AppError('not_found', `No such contact: ${outcome.notFound.join(', ')}.`, { contactIds: outcome.notFound })
  throw new AppError('conflict', `Already merged or deleted: ${outcome.inactive.join(', ')}.`, { contactIds: outcome.inactive })
}

export async function undoMerge(deps: Deps, actor: User, mergeId: string): Promise<{ merge: Merge; contact: Contact }> {
  const outcome = await undoMergeRecord(deps.sql, { id: mergeId, actorId: actor.id, now: deps.now() })
  if (outcome.ok) return outcome
  if ('notFound' in outcome) throw new AppError('not_found', 'No such merge.')
  if ('alreadyUndone' in outcome) throw new AppError('conflict', `This merge was undone already (${outcome.alreadyUndone}).`)
  throw new AppError('conflict', outcome.changed)
}
