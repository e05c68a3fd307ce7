import type { Queryable } from './sql.ts'

/**
 * How common each facet token is among the contacts (a share, 0–1), as ANALYZE last counted it for the facets
 * index (migrations 076, 077): its most common elements and their frequencies. A token not among them is rarer
 * than the rarest that is. `rows` is the book's size as PostgreSQL estimates it (0 before the first ANALYZE).
 */
export type FacetFrequencies = { rows: number; of(token: string): number }

export const UNKNOWN_FREQUENCIES: FacetFrequencies = { rows: 0, of: () => 0 }

type StatsRow = { rows: number; elems: string[] | null; freqs: number[] | null }

/** Statistics move only with ANALYZE, so each pool reads them at most this often (reading them costs 2 ms). */
const REREAD_MS = 10 * 60_000
const read = new WeakMap<object, { at: number; frequencies: Promise<FacetFrequencies> }>()

export function facetFrequencies(pool: Queryable): Promise<FacetFrequencies> {
  const now = performance.now()
  const cached = read.get(pool)
  if (cached !== undefined && now - cached.at < REREAD_MS) return cached.frequencies
  const frequencies = readFrequencies(pool).catch(() => UNKNOWN_FREQUENCIES)
  read.set(pool, { at: now, frequencies })
  return frequencies
}

async function readFrequencies(sql: Queryable): Promise<FacetFrequencies> {
  const [row] = await sql<StatsRow[]>`
    select greatest(c.reltuples, 0)::float8 as rows, s.most_common_elems::text::text[] as elems, s.most_common_elem_freqs::float8[] as freqs
    from pg_class c left join pg_stats s on s.schemaname = current_schema() and s.tablename = 'contacts_facets' and s.attname = 'contact_facets'
    where c.oid = 'contacts'::regclass`
  if (row === undefined || row.elems === null || row.freqs === null) return { rows: row?.rows ?? 0, of: () => 0 }
  const shares = new Map(row.elems.map((e, i) => [e, row.freqs?.[i] ?? 0]))
  // After the elements' frequencies come the least and greatest of them (and the share of null elements).
  const rarest = row.freqs[row.elems.length] ?? 0
  return { rows: row.rows, of: (token) => shares.get(token) ?? rarest / 2 }
}
