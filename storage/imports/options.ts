import type { Queryable } from '../sql.ts'

/** Labels given to every contact an import creates or updates, and the list every contact the file names joins. */
export type ImportOptions = { labels: string[]; listId: string | null }

export async function recordImportOptions(sql: Queryable, id: string, o: ImportOptions): Promise<void> {
  await sql`update imports set label_names = ${o.labels}::text[], list_id = ${o.listId} where id = ${id}`
}

export async function importOptions(sql: Queryable, id: string): Promise<ImportOptions> {
  const [row] = await sql<{ label_names: string[]; list_id: string | null }[]>`select label_names, list_id from imports where id = ${id}`
  return { labels: row?.label_names ?? [], listId: row?.list_id ?? null }
}
