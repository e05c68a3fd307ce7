import type { Sql } from '../sql.ts'

const lockKey = (runnerId: string) => `import-runner:${runnerId}`

/**
 * A process that runs imports holds a session-level advisory lock on its own connection. PostgreSQL drops it
 * the moment that process dies (its sockets close), so "is the lock free?" is an exact liveness test that
 * needs no heartbeats or timeouts.
 */
export async function holdRunnerLock(sql: Sql, runnerId: string): Promise<() => Promise<void>> {
  const conn = await sql.reserve()
  try {
    await conn`select pg_advisory_lock(hashtextextended(${lockKey(runnerId)}, 0))`
  } catch (error) {
    conn.release()
    throw error
  }
  return async () => {
    try {
      await conn`select pg_advisory_unlock(hashtextextended(${lockKey(runnerId)}, 0))`
    } finally {
      conn.release()
    }
  }
}

export async function isRunnerAlive(sql: Sql, runnerId: string): Promise<boolean> {
  const conn = await sql.reserve()
  try {
    const [row] = await conn<{ free: boolean }[]>`select pg_try_advisory_lock(hashtextextended(${lockKey(runnerId)}, 0)) as free`
    if (row?.free === true) await conn`select pg_advisory_unlock(hashtextextended(${lockKey(runnerId)}, 0))`
    return row?.free !== true
  } finally {
    conn.release()
  }
}
