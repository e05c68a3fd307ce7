import type { Contact, ContactFields, Preference } from './contact.ts'
import { fillEmptyFields } from './contact-fields.ts'
import { applyMergeChoices, type MergeChoices } from './merge-choices.ts'

export const MAX_MERGE_DUPLICATES = 20

export type MergeResult = { fields: ContactFields; preference: Preference; ownerId: string | null }

function fieldsOf(c: Contact): ContactFields {
  return {
    name: c.name, mobile: c.mobile, email: c.email, dateOfBirth: c.dateOfBirth, company: c.company, address: c.address, social: c.social,
    otherMobiles: c.otherMobiles, otherEmails: c.otherEmails, countrySource: c.countrySource,
  }
}

/**
 * One person from several records. The primary's values stay; its empty fields take the duplicates' values in the
 * order given; every other mobile and email is kept as an other mobile or email, so merging never loses a way to
 * reach the person. The contact stays reactive if any record was (a person who asked not to be messaged must not
 * become messageable by a merge); the owner is the primary's, or the first duplicate's when it has none. A choice
 * per field (`choices`) takes that contact's value instead, the mobiles and emails it displaces kept as others.
 */
export function mergeContacts(primary: Contact, duplicates: readonly Contact[], choices: MergeChoices = {}): MergeResult {
  let fields = fieldsOf(primary)
  for (const d of duplicates) fields = fillEmptyFields(fields, fieldsOf(d))
  const defaultOwner = primary.ownerId ?? duplicates.find((d) => d.ownerId !== null)?.ownerId ?? null
  const chosen = applyMergeChoices(fields, defaultOwner, [primary, ...duplicates], choices)
  fields = chosen.fields
  const mobiles = new Set<string>()
  const emails = new Set<string>()
  const mainEmail = fields.email?.toLowerCase()
  for (const c of [primary, ...duplicates]) {
    for (const m of [c.mobile, ...c.otherMobiles]) if (m !== null && m !== fields.mobile) mobiles.add(m)
    for (const e of [c.email, ...c.otherEmails]) if (e !== null && e.toLowerCase() !== mainEmail) emails.add(e.toLowerCase())
  }
  fields = { ...fields, otherMobiles: [...mobiles], otherEmails: [...emails] }
  const preference: Preference = [primary, ...duplicates].some((c) => c.preference === 'reactive') ? 'reactive' : 'proactive'
  return { fields, preference, ownerId: chosen.ownerId }
}

export type MergeRequestProblem = { field: 'primaryId' | 'duplicateIds'; message: string }

/** What is wrong with a merge request before anything is read, if anything. */
export function checkMergeRequest(primaryId: string, duplicateIds: readonly string[]): MergeRequestProblem | null {
  if (duplicateIds.length === 0) return { field: 'duplicateIds', message: 'name at least one contact to merge into the primary' }
  if (duplicateIds.length > MAX_MERGE_DUPLICATES) return { field: 'duplicateIds', message: `merge at most ${MAX_MERGE_DUPLICATES} contacts at once` }
  if (duplicateIds.includes(primaryId)) return { field: 'duplicateIds', message: 'the primary contact cannot also be a duplicate' }
  if (new Set(duplicateIds).size !== duplicateIds.length) return { field: 'duplicateIds', message: 'a contact is listed twice' }
  return null
}

/**
 * Undoing a merge gives the primary back what it had before, field by field, except where someone changed a field
 * after the merge: that newer value stays.
 */
export function unmergeFields(before: ContactFields, merged: ContactFields, current: ContactFields): ContactFields {
  const pick = <K extends keyof ContactFields>(key: K): ContactFields[K] => revertIfUnchanged(before[key], merged[key], current[key])
  return {
    name: pick('name'), mobile: pick('mobile'), email: pick('email'), dateOfBirth: pick('dateOfBirth'), company: pick('company'),
    address: pick('address'), social: pick('social'), otherMobiles: pick('otherMobiles'), otherEmails: pick('otherEmails'),
    countrySource: JSON.stringify(current.address) === JSON.stringify(merged.address) ? before.countrySource : current.countrySource,
  }
}

/** What a merge changes on the primary besides its fields, and what an undo gives back. */
export type PrimaryValues = { fields: ContactFields; preference: Preference; ownerId: string | null; marketingOptOut: boolean }

/** The primary after an undo: each value back to what it was before the merge, unless it was changed since. */
export function unmergePrimary(before: PrimaryValues, merged: PrimaryValues, current: PrimaryValues): PrimaryValues {
  return {
    fields: unmergeFields(before.fields, merged.fields, current.fields),
    preference: revertIfUnchanged(before.preference, merged.preference, current.preference),
    ownerId: revertIfUnchanged(before.ownerId, merged.ownerId, current.ownerId),
    marketingOptOut: revertIfUnchanged(before.marketingOptOut, merged.marketingOptOut, current.marketingOptOut),
  }
}

export type DuplicateReason = 'same_mobile' | 'same_email' | 'same_name_and_number' | 'same_name_and_company' | 'same_name'

export const DUPLICATE_REASONS: Record<DuplicateReason, string> = {
  same_mobile: 'One has the other’s mobile among its numbers.',
  same_email: 'One has the other’s email among its addresses.',
  same_name_and_number: 'Same name, and the same number under a different country code.',
  same_name_and_company: 'Same name at the same company.',
  same_name: 'Same full name (a name few contacts share).',
}

export type DuplicatePair = { a: string; b: string; reason: DuplicateReason }
export type DuplicateGroup = { contactIds: string[]; reasons: DuplicateReason[] }

/** The strongest reasons first: shared keys, then name with more, then name alone. */
export const REASON_ORDER: DuplicateReason[] = ['same_mobile', 'same_email', 'same_name_and_number', 'same_name_and_company', 'same_name']

/**
 * Pairs of likely duplicates joined into groups (a with b and b with c is one group of three), leaving out pairs a
 * person said are different people. Groups are ordered by their oldest contact id; ids within a group are sorted.
 */
export function groupDuplicates(pairs: readonly DuplicatePair[], dismissed: ReadonlySet<string>): DuplicateGroup[] {
  const parent = new Map<string, string>()
  const find = (x: string): string => {
    let root = x
    while (parent.get(root) !== root) root = parent.get(root) as string
    parent.set(x, root)
    return root
  }
  const reasons = new Map<string, Set<DuplicateReason>>()
  const stronger = new Set(pairs.filter((p) => p.reason !== 'same_name').map((p) => pairKey(p.a, p.b)))
  // A bare name match says nothing more when the pair matches on something else too.
  const kept = pairs.filter((p) => p.a !== p.b && !dismissed.has(pairKey(p.a, p.b)) && !(p.reason === 'same_name' && stronger.has(pairKey(p.a, p.b))))
  for (const p of kept) {
    for (const id of [p.a, p.b]) if (!parent.has(id)) parent.set(id, id)
    const [ra, rb] = [find(p.a), find(p.b)]
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb)
  }
  const members = new Map<string, Set<string>>()
  for (const p of kept) {
    const root = find(p.a)
    const set = members.get(root) ?? new Set<string>()
    set.add(p.a).add(p.b)
    members.set(root, set)
    reasons.set(root, (reasons.get(root) ?? new Set()).add(p.reason))
  }
  return [...members.entries()]
    .map(([root, ids]) => ({ contactIds: [...ids].sort(), reasons: REASON_ORDER.filter((r) => reasons.get(root)?.has(r)) }))
    .sort((x, y) => ((x.contactIds[0] ?? '') < (y.contactIds[0] ?? '') ? -1 : 1))
}

/** The key of a pair, whichever order its ids come in. */
export function pairKey(a: string, b: string): string {
  return a < b ? `${a}|${b}` : `${b}|${a}`
}

/** A value a merge set goes back to what it was, unless it was changed after the merge. */
export function revertIfUnchanged<T>(before: T, merged: T, current: T): T {
  return JSON.stringify(current) === JSON.stringify(merged) ? before : current
}
