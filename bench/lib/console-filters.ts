import type { ContactSort } from '../../gateway/actions/contact-list.ts'
import { mainAgent } from './console-book-shape.ts'

export type Dim = 'owner' | 'source' | 'preference' | 'country' | 'channel' | 'issue' | 'label' | 'list' | 'field'
/** One filter as the console's URL spells it; `name` is how the report names it. */
export type FilterValue = { dim: Dim; name: string; params: [string, string][] }
export type Combo = { name: string; values: FilterValue[]; sort: ContactSort }

const v = (dim: Dim, name: string, params: [string, string][]): FilterValue => ({ dim, name, params })
const one = (dim: Dim, value: string) => v(dim, `${dim}=${value}`, [[dim, value]])

/**
 * Two values per filter for the pairs (a common one and a rarer one, as the book correlates them), and more
 * values measured alone. `ids` turns an agent's or a list's name into its id.
 */
export function filterValues(owners: Map<string, string>, lists: Map<string, string>) {
  const owner = (agent: string) => v('owner', `owner=${agent}`, [['owner', owners.get(agent) ?? agent]])
  const list = (name: string) => v('list', `list=${name}`, [['list', lists.get(name) ?? name]])
  const field = (key: string, value: string) => v('field', `${key}=${value}`, [['field', key], ['value', value]])
  const paired: FilterValue[] = [
    owner(mainAgent('BR')), owner('europe-2'),
    one('source', 'import'), one('source', 'crm'),
    one('preference', 'proactive'), one('preference', 'reactive'),
    one('country', 'BR'), one('country', 'DE'),
    one('channel', 'instagram'), one('channel', 'zoho'),
    one('issue', 'missing_country_code'),
    one('label', 'Wholesale'), one('label', 'VIP'), one('label', 'Trade fair 2024'),
    list('Wholesale DE'), list('VIP outreach'),
    field('tier', 'gold'), field('newsletter', 'true'),
  ]
  const alone: FilterValue[] = [
    v('owner', 'owner=none', [['owner', 'none']]), owner(mainAgent('JP')), one('source', 'incoming'), one('source', 'manual'),
    one('country', 'JP'), one('country', 'US'), one('channel', 'whatsapp'), one('channel', 'messenger'), one('channel', 'hubspot'),
    one('label', 'Newsletter'), one('label', 'Customer'), list('Webinar IN'), list('Spring promo GB'), field('tier', 'bronze'),
  ]
  return { paired, alone, owner, list, field }
}

const combo = (values: FilterValue[], sort: ContactSort = 'newest'): Combo =>
  ({ name: `${values.map((x) => x.name).join(' & ')}${sort === 'newest' ? '' : ` (by ${sort})`}`, values, sort })

/** Every value alone, every pair of values of two filters, some triples (rare ones, empty ones), and the other sorts. */
export function filterCombos(owners: Map<string, string>, lists: Map<string, string>): Combo[] {
  const { paired, alone, owner, list, field } = filterValues(owners, lists)
  const singles = [...paired, ...alone].map((x) => combo([x]))
  const pairs = paired.flatMap((a, i) => paired.slice(i + 1).filter((b) => b.dim !== a.dim).map((b) => combo([a, b])))
  const c = (dim: Dim, value: string) => one(dim, value)
  const triples = [
    [c('country', 'BR'), c('preference', 'proactive'), c('source', 'incoming')],
    [c('country', 'DE'), owner(mainAgent('BR')), c('preference', 'reactive')],
    [c('country', 'DE'), c('label', 'Wholesale'), list('Wholesale DE')],
    [owner('europe-2'), c('label', 'VIP'), c('preference', 'proactive')],
    [c('source', 'crm'), c('channel', 'instagram'), c('country', 'BR')],
    [c('source', 'import'), c('issue', 'missing_country_code'), c('country', 'DE')],
    [c('label', 'Trade fair 2024'), c('preference', 'proactive'), c('channel', 'whatsapp')],
    [field('tier', 'gold'), c('country', 'US'), owner(mainAgent('US'))],
    [c('channel', 'zoho'), c('country', 'IN'), c('preference', 'reactive')],
    [list('VIP outreach'), c('country', 'BR'), c('channel', 'instagram')],
    [c('label', 'Newsletter'), c('source', 'incoming'), c('country', 'JP')],
    [c('preference', 'proactive'), c('source', 'incoming'), c('channel', 'instagram')],
    [v('owner', 'owner=none', [['owner', 'none']]), c('channel', 'whatsapp'), c('country', 'BR')],
    [field('newsletter', 'true'), c('label', 'Wholesale'), c('preference', 'reactive')],
    [c('country', 'JP'), owner(mainAgent('JP')), c('source', 'crm')],
    [c('country', 'BR'), c('preference', 'proactive'), c('source', 'crm'), c('channel', 'instagram')],
  ].map((values) => combo(values))
  const sorts = [...paired.map((x) => [x]), ...triples.map((t) => t.values)]
    .flatMap((values) => (['name', 'last_message'] as const).map((sort) => combo(values, sort)))
  return [...singles, ...pairs, ...triples, ...sorts]
}

/** The console page's URL (20 rows, as the console shows), and the JSON API's (custom fields as `field.<key>`). */
export function consolePath(c: Combo): string {
  const params = new URLSearchParams(c.values.flatMap((x) => x.params))
  if (c.sort !== 'newest') params.set('sort', c.sort)
  return `/console/contacts?${params.toString()}`
}

export function apiPath(c: Combo): string {
  const params = new URLSearchParams({ limit: '20' })
  for (const x of c.values) {
    if (x.dim === 'field') params.append(`field.${x.params[0]?.[1] ?? ''}`, x.params[1]?.[1] ?? '')
    else for (const [k, value] of x.params) params.append(k, value)
  }
  if (c.sort !== 'newest') params.set('sort', c.sort)
  return `/v1/contacts?${params.toString()}`
}
