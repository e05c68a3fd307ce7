/** Longest label name; names are trimmed first. */
export const LABEL_NAME_MAX = 50

/** The form two label names are compared in: "Café VIP" and "cafe  vip" are one label. */
export function labelKey(name: string): string {
  return name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/g, ' ')
}

export type LabelNameCheck = { ok: true; name: string } | { ok: false; message: string }

export function checkLabelName(raw: string): LabelNameCheck {
  const name = raw.trim().replace(/\s+/g, ' ')
  if (name === '') return { ok: false, message: 'is empty; a label needs a name' }
  if (name.length > LABEL_NAME_MAX) return { ok: false, message: `is ${name.length} characters long; at most ${LABEL_NAME_MAX} are allowed` }
  return { ok: true, name }
}

const COLOR = /^#[0-9a-f]{6}$/i

export function checkLabelColor(raw: string): { ok: true; color: string } | { ok: false; message: string } {
  return COLOR.test(raw.trim()) ? { ok: true, color: raw.trim().toLowerCase() } : { ok: false, message: `"${raw}" is not a colour in the form #rrggbb` }
}

// Google Contacts marks every contact "* myContacts" and favourites "* starred": system groups, not labels a person made.
const GOOGLE_SYSTEM_GROUPS = new Set(['mycontacts', 'starred'])

/**
 * The label names in one cell of a file: split on `,`, `;` or ` ::: ` (Google's separator), Google's system groups
 * left out and its `* ` prefix dropped, each name once (compared as labelKey does).
 */
export function splitLabelCell(cell: string): string[] {
  const out: string[] = []
  const seen = new Set<string>()
  for (const part of cell.split(/\s*:::\s*|[,;]/)) {
    const name = part.trim().replace(/^\*\s*/, '').trim()
    if (name === '' || GOOGLE_SYSTEM_GROUPS.has(labelKey(name))) continue
    const key = labelKey(name)
    if (seen.has(key)) continue
    seen.add(key)
    out.push(name)
  }
  return out
}

/** Names as a person gives them (API, form, bot), checked and each once; the first problem is named. */
export function checkLabelNames(raw: readonly string[]): { ok: true; names: string[] } | { ok: false; index: number; message: string } {
  const names: string[] = []
  const seen = new Set<string>()
  for (const [index, value] of raw.entries()) {
    const checked = checkLabelName(value)
    if (!checked.ok) return { ok: false, index, message: checked.message }
    const key = labelKey(checked.name)
    if (seen.has(key)) continue
    seen.add(key)
    names.push(checked.name)
  }
  return { ok: true, names }
}
