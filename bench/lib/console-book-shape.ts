import type { CountryCode } from 'libphonenumber-js/max'
import type { Channel, ContactSource, Preference } from '../../domain/contact.ts'
import { pick } from './fake-people.ts'

/**
 * The console book's people, correlated as a real business's book is: four teams each own a region, so a
 * country's contacts belong to its team (mostly to one agent) and an agent never has contacts in another team's
 * countries; contacts arrive as a CRM sync first, then chats (WhatsApp, Instagram where people use it) mixed with
 * manual entries and the CRM's trickle, and file imports in contiguous batches (one importer, one country, one
 * label, opt-in or not). What a filter matches therefore clusters by country, owner, source and time (id order).
 */
export const TEAMS: Record<string, CountryCode[]> = {
  americas: ['US', 'CA', 'MX', 'BR', 'AR', 'CO'],
  europe: ['GB', 'DE', 'FR', 'ES', 'IT', 'NL', 'PL', 'TR'],
  mea: ['NG', 'ZA', 'KE', 'EG', 'SA', 'AE'],
  apac: ['IN', 'ID', 'PH', 'PK', 'BD', 'VN', 'TH', 'MY', 'AU', 'JP'],
}
export const AGENTS_PER_TEAM = 4
export const agentsOf = (team: string) => Array.from({ length: AGENTS_PER_TEAM }, (_, n) => `${team}-${n + 1}`)
export const AGENTS = Object.keys(TEAMS).flatMap(agentsOf)
const teamOf = new Map(Object.entries(TEAMS).flatMap(([team, cs]) => cs.map((c) => [c, team] as const)))
/** The agent who takes most of a country: its place in the team's list, round the team's agents. */
export function mainAgent(country: CountryCode): string {
  const team = teamOf.get(country) ?? 'americas'
  return `${team}-${((TEAMS[team] ?? []).indexOf(country) % AGENTS_PER_TEAM) + 1}`
}

export const LABELS = ['Wholesale', 'VIP', 'Newsletter', 'Customer', 'Trade fair 2024'] as const
export type BookLabel = (typeof LABELS)[number]
/** The import batch whose file came from a trade fair: the one batch that carries that label. */
const TRADE_FAIR_BATCH = 7
/** The agent who keeps the VIPs (by hand). */
export const VIP_KEEPER = 'europe-2'

export type BookRow = {
  /** Part of a sync or an import: such rows arrive milliseconds apart, the others minutes apart. */
  burst: boolean; name: string; first: string; last: string; email: boolean; company: string | null
  country: CountryCode | null; countrySource: 'entered' | 'detected' | null; mobile: boolean
  source: ContactSource; preference: Preference; owner: string | null; issue: boolean
  labels: BookLabel[]; fields: Record<string, string | boolean>; channels: Channel[]
}

type Weights = [CountryCode, number][]
const CHAT_COUNTRIES: Weights = [['BR', 14], ['IN', 12], ['MX', 8], ['ID', 7], ['NG', 6], ['US', 5], ['PH', 5], ['TR', 4], ['EG', 4], ['PK', 4],
  ['CO', 3], ['BD', 3], ['AR', 3], ['VN', 3], ['ZA', 2.5], ['KE', 2], ['SA', 2], ['GB', 2], ['TH', 2], ['DE', 1.5], ['MY', 1.5], ['AE', 1.5],
  ['ES', 1.5], ['FR', 1], ['IT', 1], ['PL', 0.8], ['CA', 0.7], ['NL', 0.5], ['AU', 0.5], ['JP', 0.2]]
const CRM_COUNTRIES: Weights = [['US', 30], ['GB', 14], ['DE', 10], ['CA', 8], ['IN', 8], ['AU', 7], ['FR', 5], ['NL', 5], ['ES', 3], ['IT', 3],
  ['BR', 3], ['MX', 2], ['ZA', 2], ['AE', 1], ['JP', 0.5]]
const IMPORT_TEAMS: [string, number][] = [['europe', 40], ['americas', 30], ['apac', 20], ['mea', 10]]
const INSTAGRAM_COUNTRIES = new Set<CountryCode>(['BR', 'MX', 'TR', 'ID', 'AE', 'SA'])
const MESSENGER_COUNTRIES = new Set<CountryCode>(['PH', 'VN', 'TH'])
const FIRST = ['James', 'Mary', 'Mohammed', 'Fatima', 'Wei', 'Jose', 'Maria', 'Ana', 'Priya', 'Rahul', 'Chinedu', 'Amara', 'Hiroshi', 'Olga', 'Emma', 'Lucas', 'Sofia', 'Aisha', 'Omar', 'Siti', 'Kofi', 'Liam', 'Olivia', 'Diego', 'Elif', 'Mehmet']
const LAST = ['Smith', 'Garcia', 'Muller', 'Schmidt', 'Dubois', 'Rossi', 'Silva', 'Santos', 'Kumar', 'Patel', 'Okafor', 'Mensah', 'Tanaka', 'Nowak', 'Yilmaz', 'Khan', 'Rahman', 'Tran', 'Tan', 'Wilson', 'Nguyen', 'Lopez', 'Fischer', 'Costa']
const COMPANIES = ['Acme Foods', 'Globex Retail', 'Initech Labs', 'Umbrella Pharma', 'Hooli Travel', 'Wonka Bakery', 'Stark Energy', 'Tyrell Motors']

function weighted<T>(random: () => number, items: [T, number][]): T {
  let r = random() * items.reduce((s, [, w]) => s + w, 0)
  for (const [item, w] of items) if ((r -= w) < 0) return item
  return (items.at(-1) as [T, number])[0]
}
const chance = (random: () => number, p: number) => random() < p
const teamAgent = (random: () => number, country: CountryCode) => (chance(random, 0.7) ? mainAgent(country) : pick(random, agentsOf(teamOf.get(country) ?? 'americas')))

type Batch = { at: number; size: number; owner: string; country: CountryCode; team: string; optIn: boolean; label: BookLabel | null; missingCodes: boolean }

/** The file imports: 1,000 to 20,000 rows each (most small), at random points (0–1) of the chats' timeline. */
function batches(random: () => number): Batch[] {
  return Array.from({ length: 36 }, (_, n): Batch => {
    const team = weighted(random, IMPORT_TEAMS)
    const countries = (TEAMS[team] ?? []).filter((c) => c !== 'JP')
    return {
      at: random(), size: 1000 + Math.floor(random() ** 2 * 19_000), team,
      owner: pick(random, agentsOf(team)), country: pick(random, countries), optIn: chance(random, 0.3),
      label: n === TRADE_FAIR_BATCH ? 'Trade fair 2024' : n % 8 === 3 || chance(random, 0.15) ? 'Wholesale' : null,
      missingCodes: n % 5 === 4,
    }
  }).sort((a, b) => a.at - b.at)
}

/** The rows in creation (id) order: the CRM's first sync, then chats and manual entries with the batches among them. */
export function* bookRows(random: () => number, rows: number, crmSync: number): Generator<BookRow> {
  const plan = batches(random)
  const individual = rows - crmSync - plan.reduce((s, b) => s + b.size, 0)
  let made = 0
  for (let i = 0; i < crmSync && made < rows; i++, made++) yield { ...crmRow(random), burst: true }
  let next = 0
  for (let i = 0; i < individual && made < rows; i++, made++) {
    for (let b = plan[next]; b !== undefined && b.at * individual <= i && made < rows; b = plan[++next]) {
      for (let k = 0; k < b.size && made < rows; k++, made++) yield { ...importRow(random, b), burst: true }
    }
    const kind = random()
    yield kind < 0.8 ? chatRow(random) : kind < 0.87 ? crmRow(random) : manualRow(random)
  }
}

function base(random: () => number, source: ContactSource, country: CountryCode | null): BookRow {
  const first = pick(random, FIRST)
  const last = pick(random, LAST)
  return {
    burst: false, name: `${first} ${last}`, first, last, email: false, company: null, country, countrySource: country === null ? null : 'detected',
    mobile: country !== null, source, preference: 'reactive', owner: null, issue: false, labels: [], fields: {}, channels: [],
  }
}

function crmRow(random: () => number): BookRow {
  const country = weighted(random, CRM_COUNTRIES)
  const r = { ...base(random, 'crm', country), email: true, company: pick(random, COMPANIES), owner: teamAgent(random, country) }
  r.preference = chance(random, 0.8) ? 'proactive' : 'reactive'
  r.channels = [teamOf.get(country) === 'apac' ? 'zoho' : 'hubspot', ...(chance(random, 0.1) ? (['whatsapp'] as const) : [])]
  const tier = random()
  r.fields = { tier: tier < 0.04 ? 'gold' : tier < 0.3 ? 'silver' : 'bronze' }
  r.labels = chance(random, 0.6) ? ['Customer'] : []
  return finish(random, r)
}

function chatRow(random: () => number): BookRow {
  const country = weighted(random, CHAT_COUNTRIES)
  const instagram = chance(random, INSTAGRAM_COUNTRIES.has(country) ? 0.45 : 0.04)
  const messenger = !instagram && chance(random, MESSENGER_COUNTRIES.has(country) ? 0.4 : 0.03)
  // An Instagram profile gives no number: half of those contacts never gave one, so their country is unknown.
  const known = !instagram || chance(random, 0.5)
  const r = { ...base(random, 'incoming', known ? country : null), email: known && chance(random, 0.1) }
  r.owner = chance(random, 0.01) ? null : teamAgent(random, country)
  r.preference = chance(random, 0.03) ? 'proactive' : 'reactive'
  r.channels = instagram ? (chance(random, 0.1) ? ['instagram', 'whatsapp'] : ['instagram']) : messenger ? ['messenger'] : ['whatsapp']
  return finish(random, r)
}

function manualRow(random: () => number): BookRow {
  const owner = pick(random, AGENTS)
  const team = owner.slice(0, owner.lastIndexOf('-'))
  const r = { ...base(random, 'manual', pick(random, TEAMS[team] ?? [])), email: true, owner }
  r.preference = chance(random, 0.2) ? 'proactive' : 'reactive'
  r.channels = chance(random, 0.1) ? ['whatsapp'] : []
  if (chance(random, 0.03)) r.labels.push('Wholesale')
  if (owner === VIP_KEEPER && chance(random, 0.2)) r.labels.push('VIP')
  return finish(random, r)
}

function importRow(random: () => number, b: Batch): BookRow {
  const country = chance(random, 0.95) ? b.country : pick(random, TEAMS[b.team] ?? [])
  // A file without country codes: the number is refused (kept as an issue); half the files have a Country column.
  const missing = b.missingCodes && chance(random, 0.2)
  const r = { ...base(random, 'import', missing && chance(random, 0.5) ? null : country), email: true, company: chance(random, 0.8) ? pick(random, COMPANIES) : null, owner: b.owner }
  if (missing) Object.assign(r, { mobile: false, issue: true, countrySource: r.country === null ? null : 'entered' })
  r.preference = chance(random, b.optIn ? 0.9 : 0.06) ? 'proactive' : 'reactive'
  r.channels = chance(random, 0.05) ? ['whatsapp'] : []
  if (b.label !== null) r.labels.push(b.label)
  r.fields = b.optIn ? { newsletter: true } : chance(random, 0.2) ? { newsletter: false } : {}
  return finish(random, r)
}

/** What every source shares: a newsletter label on most proactive contacts, a rare VIP anywhere. */
function finish(random: () => number, r: BookRow): BookRow {
  if (r.preference === 'proactive' && chance(random, 0.4)) r.labels.push('Newsletter')
  if (chance(random, 0.00005)) r.labels.push('VIP')
  return r
}
