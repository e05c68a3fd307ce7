import { listJobs, type JobState, type JobView } from '../../storage/jobs.ts'
import type { Deps } from '../deps.ts'

export type { JobState, JobView } from '../../storage/jobs.ts'

export function backgroundJobs(deps: Deps, filter: { kind?: string | undefined; state?: JobState | undefined }, limit: number): Promise<JobView[]> {
  return listJobs(deps.sql, filter, limit)
}
