import type { BatchPlan, ImportRow } from '../../domain/import-batch.ts'
import { batchKeys } from '../../domain/import-batch.ts'
import type { CustomValues } from '../../domain/custom-fields.ts'
import { labelKey } from '../../domain/labels.ts'
import { ensureLabels } from '../labels.ts'
import { jsonRecords } from '../records.ts'
import type { Tx } from '../sql.ts'

export type OrganizeOptions = { labels?: string[]; listId?: string | null; newId: () => string; now: Date }

type ContactRow = ImportRow & { kind: 'contact' }

/**
 * Labels and custom values of the rows that created or updated contacts (with the import's own labels), and the
 * import's list for every contact the batch names, new or already there. Nothing runs for a batch without any:
 * the plain import path stays as fast as it was.
 */
export async function organizeBatch(tx: Tx, rows: readonly ImportRow[], plan: BatchPlan, o: OrganizeOptions): Promise<void> {
  const byRow = new Map<number, ContactRow>()
  for (const r of rows) if (r.kind === 'contact' && (r.labels !== undefined || r.custom !== undefined)) byRow.set(r.row, r)
  const given = o.labels ?? []
  if (byRow.size > 0 || given.length > 0) {
    const targets = [
      ...plan.inserts.map((p) => ({ id: p.id, rows: [p.row, ...p.filledBy] })),
      ...plan.updates.map((u) => ({ id: u.contactId, rows: u.rows.map((r) => r.row) })),
    ]
    const names = new Set(given)
    for (const r of byRow.values()) for (const n of r.labels ?? []) names.add(n)
    const ids = await ensureLabels(tx, [...names], o.newId, o.now)
    const records = targets.flatMap((t) => {
      const found = t.rows.flatMap((n) => byRow.get(n) ?? [])
      const labelIds = [...new Set([...given, ...found.flatMap((r) => r.labels ?? [])].flatMap((n) => ids.get(labelKey(n)) ?? []))]
      // The first row with a value gives it, as for the built-in fields.
      const fields = Object.assign({}, ...[...found].reverse().map((r) => r.custom ?? {})) as CustomValues
      if (labelIds.length === 0 && Object.keys(fields).length === 0) return []
      return [{ id: t.id, label_ids: labelIds, fields }]
    })
    if (records.length > 0) {
      await tx`
        update contacts c set label_ids = array(select distinct l from unnest(c.label_ids || x.label_ids) l order by l), fields = x.fields || c.fields
        from ${jsonRecords(tx, { id: 'uuid', label_ids: 'uuid[]', fields: 'jsonb' }, records)}
        where c.id = x.id`
    }
  }
  if (o.listId !== undefined && o.listId !== null) {
    const { mobiles, emails } = batchKeys(rows)
    if (mobiles.length === 0 && emails.length === 0) return
    await tx`
      insert into list_members (list_id, contact_id, added_at)
      select ${o.listId}::uuid, id, ${o.now}::timestamptz from (
        select id from contacts where active and mobile = any(${mobiles}::text[])
        union select id from contacts where active and lower(email) = any(${emails}::text[])) named
      on conflict do nothing`
  }
}
