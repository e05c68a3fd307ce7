import { checkChoices, checkDefinition, CUSTOM_LABEL_MAX, keyFromHeader, type CustomFieldDefinition, type CustomFieldType } from '../../domain/custom-fields.ts'
import { countCustomValues, createCustomField, deleteCustomField, getCustomField, listCustomFields, updateCustomField } from '../../storage/custom-fields.ts'
import type { User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { AppError, invalidField } from './errors.ts'

function adminOnly(actor: User): void {
  if (actor.role !== 'admin') throw new AppError('forbidden', 'Only admins define custom fields; everyone fills them in.')
}

export function customFields(deps: Deps): Promise<CustomFieldDefinition[]> {
  return listCustomFields(deps.sql)
}

export async function createCustomFieldAs(deps: Deps, actor: User, input: { key: string; label: string; type: CustomFieldType; choices?: string[] | undefined }): Promise<CustomFieldDefinition> {
  adminOnly(actor)
  const checked = checkDefinition(input)
  if (!checked.ok) throw invalidField(checked.field, checked.message)
  if ((await createCustomField(deps.sql, checked.def, deps.now())) === 'exists') throw new AppError('conflict', `A custom field with the key "${input.key}" exists already.`)
  return checked.def
}

/** A field's label and, for a choice field, its choices; its key and type stay (values are stored by them). */
export async function updateCustomFieldAs(deps: Deps, actor: User, key: string, input: { label?: string | undefined; choices?: string[] | undefined }): Promise<CustomFieldDefinition> {
  adminOnly(actor)
  const current = await getCustomField(deps.sql, key)
  if (current === null) throw new AppError('not_found', 'No such custom field.')
  const patch: { label?: string; choices?: string[] } = {}
  if (input.label !== undefined) {
    const label = input.label.trim()
    if (label === '' || label.length > CUSTOM_LABEL_MAX) throw invalidField('label', `must be 1 to ${CUSTOM_LABEL_MAX} characters`)
    patch.label = label
  }
  if (input.choices !== undefined) {
    if (current.type !== 'choice') throw invalidField('choices', `only a choice field has choices; "${key}" is a ${current.type} field`)
    const choices = checkChoices(input.choices)
    if (!choices.ok) throw invalidField('choices', choices.message)
    patch.choices = choices.choices
  }
  return (await updateCustomField(deps.sql, key, patch)) ?? current
}

/** How many contacts hold a value (asked before deleting), then the field and its values go. */
export async function customFieldValueCount(deps: Deps, key: string): Promise<number> {
  return countCustomValues(deps.sql, key)
}

export async function deleteCustomFieldAs(deps: Deps, actor: User, key: string): Promise<void> {
  adminOnly(actor)
  if (!(await deleteCustomField(deps.sql, key))) throw new AppError('not_found', 'No such custom field.')
}

/**
 * The text field a file's column becomes when an admin picks "New custom field" in an import's mapping step: the
 * field with the key its header gives, made now unless it exists already.
 */
export async function fieldForColumn(deps: Deps, actor: User, header: string): Promise<string> {
  adminOnly(actor)
  const key = keyFromHeader(header)
  if ((await getCustomField(deps.sql, key)) !== null) return key
  // Made by another admin meanwhile ('exists'): that field is the one meant.
  await createCustomField(deps.sql, { key, label: header.trim().slice(0, CUSTOM_LABEL_MAX) || key, type: 'text' }, deps.now())
  return key
}
