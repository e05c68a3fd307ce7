import { labelKey } from '../domain/labels.ts'
import { isUniqueViolation } from './contacts.ts'
import type { Queryable, Sql } from './sql.ts'

export type Label = { id: string; name: string; color: string | null; contacts: number }
export type LabelName = Omit<Label, 'contacts'>
type LabelRow = { id: string; name: string; color: string | null; contacts: number }

/** A label `l` as Label: with how many active contacts carry it (one GIN probe per label). */
const labelColumns = (sql: Queryable) => sql`
  l.id, l.name, l.color, (select count(*)::int from contacts c where c.active and c.label_ids @> array[l.id]) as contacts`

/** Every label A–Z, with its contacts. */
export async function listLabels(sql: Queryable): Promise<Label[]> {
  return sql<LabelRow[]>`select ${labelColumns(sql)} from labels l order by l.name_key`
}

/** Every label A–Z without counting its contacts: what pages need to offer labels and colour chips. */
export async function listLabelNames(sql: Queryable): Promise<LabelName[]> {
  return sql<LabelName[]>`select id, name, color from labels order by name_key`
}

export async function getLabel(sql: Queryable, id: string): Promise<Label | null> {
  const [row] = await sql<LabelRow[]>`select ${labelColumns(sql)} from labels l where l.id = ${id}`
  return row ?? null
}

/** The label with this name (compared as labelKey does), or null. */
export async function findLabelByName(sql: Queryable, name: string): Promise<{ id: string; name: string } | null> {
  const [row] = await sql<{ id: string; name: string }[]>`select id, name from labels where name_key = ${labelKey(name)}`
  return row ?? null
}

export type LabelWrite = { ok: true; label: Label } | { ok: false; conflict: { id: string; name: string } }

export async function createLabel(sql: Sql, l: { id: string; name: string; color: string | null; now: Date }): Promise<LabelWrite> {
  try {
    await sql`insert into labels (id, name, name_key, color, created_at) values (${l.id}, ${l.name}, ${labelKey(l.name)}, ${l.color}, ${l.now})`
    return { ok: true, label: { id: l.id, name: l.name, color: l.color, contacts: 0 } }
  } catch (error) {
    const existing = isUniqueViolation(error) ? await findLabelByName(sql, l.name) : null
    if (existing === null) throw error
    return { ok: false, conflict: existing }
  }
}

/** A rename shows on every contact at once: contacts hold the label's id, not its name. */
export async function updateLabel(sql: Sql, id: string, patch: { name?: string; color?: string | null }): Promise<LabelWrite | null> {
  try {
    const rows = await sql`
      update labels set
        name = coalesce(${patch.name ?? null}, name),
        name_key = coalesce(${patch.name === undefined ? null : labelKey(patch.name)}, name_key),
        color = ${patch.color === undefined ? sql`color` : sql`${patch.color}`}
      where id = ${id} returning id`
    if (rows.length === 0) return null
  } catch (error) {
    const existing = isUniqueViolation(error) && patch.name !== undefined ? await findLabelByName(sql, patch.name) : null
    if (existing === null) throw error
    return { ok: false, conflict: existing }
  }
  const label = await getLabel(sql, id)
  return label === null ? null : { ok: true, label }
}

/** Taken off every contact (inactive ones too, so an undone merge does not bring back a label that is gone). */
export async function deleteLabel(sql: Sql, id: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const rows = await tx`delete from labels where id = ${id} returning id`
    if (rows.length === 0) return false
    await tx`update contacts set label_ids = array_remove(label_ids, ${id}::uuid) where label_ids @> array[${id}::uuid]`
    return true
  })
}

/**
 * The ids of these label names, creating the ones not known yet (as typed the first time). Safe against a
 * concurrent creation of the same name: the insert skips a name that exists by then.
 */
export async function ensureLabels(sql: Queryable, names: readonly string[], newId: () => string, now: Date): Promise<Map<string, string>> {
  const byKey = new Map<string, string>()
  for (const name of names) if (!byKey.has(labelKey(name))) byKey.set(labelKey(name), name)
  if (byKey.size === 0) return new Map()
  const keys = [...byKey.keys()]
  const known = await sql<{ id: string; name_key: string }[]>`select id, name_key from labels where name_key = any(${keys}::text[])`
  const missing = keys.filter((k) => !known.some((r) => r.name_key === k))
  if (missing.length > 0) {
    const fresh = missing.map((k) => ({ id: newId(), name: byKey.get(k) as string, name_key: k }))
    await sql`
      insert into labels (id, name, name_key, created_at)
      select x.id, x.name, x.name_key, ${now} from jsonb_to_recordset(${sql.json(fresh)}) as x(id uuid, name text, name_key text)
      on conflict (name_key) do nothing`
  }
  const rows = missing.length === 0 ? known : await sql<{ id: string; name_key: string }[]>`select id, name_key from labels where name_key = any(${keys}::text[])`
  return new Map(rows.map((r) => [r.name_key, r.id]))
}

/** The ids of names that exist; names that name no label are left out. */
export async function labelIdsOf(sql: Queryable, names: readonly string[]): Promise<{ ids: string[]; unknown: string[] }> {
  const keys = names.map(labelKey)
  const rows = await sql<{ id: string; name_key: string }[]>`select id, name_key from labels where name_key = any(${keys}::text[])`
  const found = new Map(rows.map((r) => [r.name_key, r.id]))
  return { ids: keys.flatMap((k) => found.get(k) ?? []), unknown: names.filter((n) => !found.has(labelKey(n))) }
}
