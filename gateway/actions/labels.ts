import { checkLabelColor, checkLabelName } from '../../domain/labels.ts'
import { createLabel, deleteLabel, listLabelNames, listLabels, updateLabel, type Label, type LabelName, type LabelWrite } from '../../storage/labels.ts'
import type { User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { AppError, invalidField } from './errors.ts'

export type { Label, LabelName }

function adminOnly(actor: User, what: string): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', `Only admins ${what}; agents give and take labels on contacts.`)
}

function written(outcome: LabelWrite | null): Label {
  if (outcome === null) throw new AppError('not_found', 'No such label.')
  if (!outcome.ok) throw new AppError('conflict', `A label named "${outcome.conflict.name}" exists already (names are compared ignoring case and accents).`, { existingId: outcome.conflict.id })
  return outcome.label
}

function checkedColor(raw: string | null | undefined): string | null | undefined {
  if (raw === undefined || raw === null) return raw
  const color = checkLabelColor(raw)
  if (!color.ok) throw invalidField('color', color.message)
  return color.color
}

export function labels(deps: Deps): Promise<Label[]> {
  return listLabels(deps.sql)
}

/** Names and colours only (no counts): cheap enough for every contacts page. */
export function labelNames(deps: Deps): Promise<LabelName[]> {
  return listLabelNames(deps.sql)
}

/** Anyone may make a label (giving a contact a new name makes one too). */
export async function createLabelAs(deps: Deps, input: { name: string; color?: string | null | undefined }): Promise<Label> {
  const name = checkLabelName(input.name)
  if (!name.ok) throw invalidField('name', name.message)
  const color = checkedColor(input.color) ?? null
  return written(await createLabel(deps.sql, { id: deps.newId(), name: name.name, color, now: deps.now() }))
}

export async function updateLabelAs(deps: Deps, actor: User, id: string, input: { name?: string | undefined; color?: string | null | undefined }): Promise<Label> {
  adminOnly(actor, 'rename labels and change their colour')
  const patch: { name?: string; color?: string | null } = {}
  if (input.name !== undefined) {
    const name = checkLabelName(input.name)
    if (!name.ok) throw invalidField('name', name.message)
    patch.name = name.name
  }
  const color = checkedColor(input.color)
  if (color !== undefined) patch.color = color
  return written(await updateLabel(deps.sql, id, patch))
}

export async function deleteLabelAs(deps: Deps, actor: User, id: string): Promise<void> {
  adminOnly(actor, 'delete labels')
  if (!(await deleteLabel(deps.sql, id))) throw new AppError('not_found', 'No such label.')
}
