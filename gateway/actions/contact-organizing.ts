import { applyCustomPatch, checkCustomPatch, type CustomPatch, type CustomValues } from '../../domain/custom-fields.ts'
import { checkLabelNames } from '../../domain/labels.ts'
import type { FieldError } from '../../domain/validate.ts'
import { listCustomFields } from '../../storage/custom-fields.ts'
import { ensureLabels } from '../../storage/labels.ts'
import { labelKey } from '../../domain/labels.ts'
import type { Deps } from '../deps.ts'

/** What a person sends besides the built-in fields: label names (the whole set) and custom values by key. */
export type OrganizingInput = { labels?: string[] | undefined; fields?: Record<string, unknown> | undefined }

/** Checked, not yet written: label names to resolve and a patch of custom values. */
export type CheckedOrganizing = { labelNames?: string[]; customPatch?: CustomPatch }

/** Checks labels and custom values with the same error shape as the built-in fields (`labels[1]`, `fields.size`). */
export async function checkOrganizing(deps: Deps, input: OrganizingInput): Promise<{ ok: true; value: CheckedOrganizing } | { ok: false; errors: FieldError[] }> {
  const errors: FieldError[] = []
  const value: CheckedOrganizing = {}
  if (input.labels !== undefined) {
    const names = checkLabelNames(input.labels)
    if (names.ok) value.labelNames = names.names
    else errors.push({ field: `labels[${names.index}]`, code: 'invalid_label', message: names.message })
  }
  if (input.fields !== undefined && Object.keys(input.fields).length > 0) {
    const patch = checkCustomPatch(await listCustomFields(deps.sql), input.fields)
    if (patch.ok) value.customPatch = patch.patch
    else errors.push(...patch.errors)
  }
  return errors.length === 0 ? { ok: true, value } : { ok: false, errors }
}

/** The label ids of the names (new names become labels). */
export async function labelIdsFor(deps: Deps, names: readonly string[]): Promise<string[]> {
  const ids = await ensureLabels(deps.sql, names, deps.newId, deps.now())
  return names.flatMap((n) => ids.get(labelKey(n)) ?? [])
}

/** The write a checked input makes on a contact whose values are `current`. */
export async function organizingWrite(deps: Deps, checked: CheckedOrganizing): Promise<(current: CustomValues) => { labelIds?: string[]; customFields?: CustomValues }> {
  const labelIds = checked.labelNames === undefined ? undefined : await labelIdsFor(deps, checked.labelNames)
  return (current) => ({
    ...(labelIds === undefined ? {} : { labelIds }),
    ...(checked.customPatch === undefined ? {} : { customFields: applyCustomPatch(current, checked.customPatch) }),
  })
}
