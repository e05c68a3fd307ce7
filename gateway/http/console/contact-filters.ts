import { parseCountry } from '../../../domain/country.ts'
import { checkCustomValue } from '../../../domain/custom-fields.ts'
import type { ContactFilters } from '../../actions/contact-list.ts'
import { customFields } from '../../actions/custom-fields.ts'
import { listNames } from '../../actions/lists.ts'
import type { Deps } from '../../deps.ts'

/**
 * Filters the API would refuse (a country, field or list that does not exist, a value of the wrong type) are
 * left out here with a notice, so that a typo in the address bar shows as a sentence instead of an error page.
 */
export async function usableFilters(deps: Deps, filters: ContactFilters): Promise<{ filters: ContactFilters; notice?: string }> {
  const out: ContactFilters = { ...filters }
  const notices: string[] = []
  if (out.country !== undefined && !parseCountry(out.country).ok) {
    notices.push(`"${out.country}" is not a country we know; the country filter was left out.`)
    out.country = undefined
  }
  const [field] = Object.entries(out.fields ?? {})
  if (field !== undefined) {
    const def = (await customFields(deps)).find((d) => d.key === field[0])
    const checked = def === undefined ? null : checkCustomValue(def, field[1])
    if (def === undefined || checked === null) notices.push(`There is no custom field "${field[0]}"; that filter was left out.`)
    else if (!checked.ok) notices.push(`${def.label}: ${checked.message}; that filter was left out.`)
    if (def === undefined || checked === null || !checked.ok) out.fields = undefined
  }
  if (out.list !== undefined && !(await listNames(deps)).some((l) => l.id === out.list)) {
    notices.push('That list does not exist (any more); the list filter was left out.')
    out.list = undefined
  }
  return notices.length === 0 ? { filters: out } : { filters: out, notice: notices.join(' ') }
}

function plural(n: number): string {
  return `${n} contact${n === 1 ? '' : 's'}`
}
