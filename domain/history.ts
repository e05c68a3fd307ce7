import type { Contact } from './contact.ts'

export type HistorySource = 'manual' | 'import' | 'incoming' | 'crm' | 'merge' | 'bot' | 'console'
export type HistoryKind = 'created' | 'updated' | 'deleted' | 'merged' | 'unmerged'
export type FieldChange = { from: unknown; to: unknown }
export type Changes = Record<string, FieldChange>
/** Who is changing a contact and through which door: recorded with the change. */
export type Door = { source: HistorySource; actorId: string | null }

const TRACKED = ['name', 'mobile', 'email', 'dateOfBirth', 'company', 'address', 'social', 'otherMobiles', 'otherEmails', 'ownerId', 'preference', 'labels', 'fields'] as const

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

function blankToNull(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (Array.isArray(v)) return v.length === 0 ? null : v
  if (typeof v === 'object') return Object.keys(v).length === 0 ? null : v
  return v
}

/** Any state of a contact that carries some of the tracked fields (a Contact, or just its ContactFields). */
export type Tracked = { readonly [K in (typeof TRACKED)[number]]?: Contact[K] }

/** The fields that differ between two states of a contact, each from → to (empty values as null). */
export function contactChanges(before: Tracked, after: Tracked): Changes {
  const out: Changes = {}
  for (const field of TRACKED) {
    const from = blankToNull(before[field])
    const to = blankToNull(after[field])
    if (!same(from, to)) out[field] = { from, to }
  }
  return out
}

/** A new contact's filled fields as changes from nothing. */
export function creationChanges(c: Contact): Changes {
  const out: Changes = {}
  for (const field of TRACKED) {
    const to = blankToNull(c[field])
    if (to !== null) out[field] = { from: null, to }
  }
  return out
}
