import { checkLabelNames, splitLabelCell } from '../../domain/labels.ts'
import { isUuid } from '../../domain/ids.ts'
import type { ImportOptions } from '../../storage/imports/options.ts'
import { contactListExists } from '../../storage/lists.ts'
import type { Deps } from '../deps.ts'
import { AppError, invalidField } from './errors.ts'

/** As a request gives them: label names (a list, or one text split as a Labels cell is) and a list id. */
export type ImportOptionsInput = { labels?: string[] | string | undefined; listId?: string | undefined }

/** Checked before anything is stored: a bad label name or an unknown list refuses the import, naming the option. */
export async function checkImportOptions(deps: Deps, input: ImportOptionsInput | undefined): Promise<ImportOptions> {
  const raw = input?.labels === undefined ? [] : typeof input.labels === 'string' ? splitLabelCell(input.labels) : input.labels.flatMap(splitLabelCell)
  const labels = checkLabelNames(raw)
  if (!labels.ok) throw invalidField(`labels[${labels.index}]`, labels.message)
  const listId = input?.listId === undefined || input.listId === '' ? null : input.listId
  if (listId !== null && (!isUuid(listId) || !(await contactListExists(deps.sql, listId.toLowerCase())))) throw invalidField('listId', 'is not the id of a contact list')
  return { labels: labels.names, listId: listId?.toLowerCase() ?? null }
}
