import type { CustomFieldDefinition, CustomFieldType } from '../domain/custom-fields.ts'
import { isUniqueViolation } from './contacts.ts'
import type { JsonValue, Queryable, Sql } from './sql.ts'

type FieldRow = { key: string; label: string; type: CustomFieldType; choices: string[] | null }

function toDefinition(r: FieldRow): CustomFieldDefinition {
  return r.choices === null ? { key: r.key, label: r.label, type: r.type } : { key: r.key, label: r.label, type: r.type, choices: r.choices }
}

/** In the order they were defined: the order a contact's page and the export show them in. */
export async function listCustomFields(sql: Queryable): Promise<CustomFieldDefinition[]> {
  const rows = await sql<FieldRow[]>`select key, label, type, choices from custom_fields order by created_at, key`
  return rows.map(toDefinition)
}

export async function getCustomField(sql: Queryable, key: string): Promise<CustomFieldDefinition | null> {
  const [row] = await sql<FieldRow[]>`select key, label, type, choices from custom_fields where key = ${key}`
  return row === undefined ? null : toDefinition(row)
}

export async function createCustomField(sql: Sql, def: CustomFieldDefinition, now: Date): Promise<'created' | 'exists'> {
  try {
    await sql`insert into custom_fields (key, label, type, choices, created_at)
              values (${def.key}, ${def.label}, ${def.type}, ${def.choices === undefined ? null : sql.json(def.choices)}, ${now})`
    return 'created'
  } catch (error) {
    if (isUniqueViolation(error)) return 'exists'
    throw error
  }
}

export async function updateCustomField(sql: Queryable, key: string, patch: { label?: string; choices?: string[] }): Promise<CustomFieldDefinition | null> {
  const [row] = await sql<FieldRow[]>`
    update custom_fields set label = coalesce(${patch.label ?? null}, label),
      choices = ${patch.choices === undefined ? sql`choices` : sql`${sql.json(patch.choices as JsonValue)}`}
    where key = ${key} returning key, label, type, choices`
  return row === undefined ? null : toDefinition(row)
}

/** The field and every value of it go together. */
export async function deleteCustomField(sql: Sql, key: string): Promise<boolean> {
  return sql.begin(async (tx) => {
    const rows = await tx`delete from custom_fields where key = ${key} returning key`
    if (rows.length === 0) return false
    await tx`update contacts set fields = fields - ${key}::text where fields ? ${key}`
    return true
  })
}

/** How many active contacts hold a value of this field (the delete confirmation says it). */
export async function countCustomValues(sql: Queryable, key: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from contacts where active and fields <> '{}' and fields ? ${key}`
  return row?.n ?? 0
}
