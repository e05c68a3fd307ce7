import type { Sql } from '../../storage/sql.ts'

/**
 * Samples what a database's other sessions are doing every `everyMs` (pg_stat_activity: the statement's first
 * words, or idle / idle in transaction), to see where an import waits on PostgreSQL. Stop returns the counts,
 * most frequent first.
 */
export function sampleActivity(sql: Sql, database: string, everyMs = 20): { stop(): Promise<[string, number][]> } {
  const counts = new Map<string, number>()
  let running = true
  const loop = (async () => {
    while (running) {
      const rows = await sql<{ what: string }[]>`
        select case when state = 'active' then coalesce(nullif(wait_event_type || ':' || wait_event, ':'), 'cpu') || ' ' || regexp_replace(left(query, 60), '\\s+', ' ', 'g')
                    else state end as what
        from pg_stat_activity where datname = ${database} and pid <> pg_backend_pid() and backend_type = 'client backend'`
      for (const r of rows) counts.set(r.what, (counts.get(r.what) ?? 0) + 1)
      await new Promise((resolve) => setTimeout(resolve, everyMs))
    }
  })()
  return {
    async stop() {
      running = false
      await loop
      return [...counts].sort((a, b) => b[1] - a[1])
    },
  }
}
