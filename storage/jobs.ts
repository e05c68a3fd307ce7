import type { Sql } from './sql.ts'

// pg-boss keeps its jobs in its own schema (gateway/jobs/pg-boss.ts); these are reads of its job table for the
// API and the metrics, which pg-boss's own API offers only queue by queue and without a filter by state.
const JOBS_TABLE = 'pgboss.job'

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed'
export type JobView = {
  id: string; kind: string; state: JobState; attempts: number; createdAt: Date; startedAt: Date | null; finishedAt: Date | null
  lastError: string | null
}

async function hasJobTable(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ found: boolean }[]>`select to_regclass(${JOBS_TABLE}) is not null as found`
  return row?.found === true
}

/** Jobs newest first, by kind and state when given; none before pg-boss first started on this database. */
export async function listJobs(sql: Sql, filter: { kind?: string | undefined; state?: JobState | undefined }, limit: number): Promise<JobView[]> {
  if (!(await hasJobTable(sql))) return []
  const rows = await sql<{ id: string; name: string; state: JobState; retry_count: number; created_on: Date; started_on: Date | null; completed_on: Date | null; output: unknown }[]>`
    select id::text, name, state, retry_count, created_on, started_on, completed_on, output from pgboss.job
    where true ${filter.kind === undefined ? sql`` : sql`and name = ${filter.kind}`} ${filter.state === undefined ? sql`` : sql`and state = ${filter.state}::pgboss.job_state`}
    order by created_on desc, id desc limit ${limit}`
  return rows.map((r) => ({
    id: r.id, kind: r.name, state: r.state, attempts: r.retry_count + (r.started_on === null ? 0 : 1),
    createdAt: r.created_on, startedAt: r.started_on, finishedAt: r.completed_on, lastError: errorOf(r.state, r.output),
  }))
}

/** pg-boss keeps a failed attempt's error as the job's output: `{ message, stack, ... }`. */
function errorOf(state: JobState, output: unknown): string | null {
  if (state !== 'failed' && state !== 'retry') return null
  const message = typeof output === 'object' && output !== null ? (output as { message?: unknown }).message : undefined
  return typeof message === 'string' ? message : null
}

/** How many jobs of each kind are in each state that is not finished well (queued, retrying, running, failed). */
export async function jobCounts(sql: Sql): Promise<{ kind: string; state: string; count: number }[]> {
  if (!(await hasJobTable(sql))) return []
  const rows = await sql<{ name: string; state: string; count: number }[]>`
    select name, state::text, count(*)::int as count from pgboss.job where state in ('created', 'retry', 'active', 'failed') group by name, state`
  return rows.map((r) => ({ kind: r.name, state: r.state, count: r.count }))
}
