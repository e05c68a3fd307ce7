import { failInterruptedImports, inProgressRunners } from '../../storage/imports/history.ts'
import { holdRunnerLock, isRunnerAlive } from '../../storage/imports/runner-locks.ts'
import type { Sql } from '../../storage/sql.ts'

/** This process as a runner of imports, and how to tell whether another runner is still alive. */
export interface ImportRunner {
  readonly id: string
  /** Marks this process as running an import until the returned function is called. */
  begin(): Promise<() => Promise<void>>
  isAlive(runnerId: string): Promise<boolean>
}

/**
 * Embedded PGlite belongs to one process, so every runner but this one is gone. It also has a single
 * connection, which must not be held for the life of an import.
 */
export function embeddedImportRunner(id: string): ImportRunner {
  return { id, begin: async () => async () => {}, isAlive: async (runnerId) => runnerId === id }
}

/** On a server several processes may run imports; each holds an advisory lock while it does (one connection). */
export function serverImportRunner(sql: Sql, id: string): ImportRunner {
  let running = 0
  let lock: Promise<() => Promise<void>> | null = null
  return {
    id,
    async begin() {
      running++
      lock ??= holdRunnerLock(sql, id)
      try {
        await lock
      } catch (error) {
        running--
        lock = null
        throw error
      }
      return async () => {
        running--
        if (running > 0 || lock === null) return
        const held = lock
        lock = null
        await (await held)()
      }
    },
    isAlive: (runnerId) => (runnerId === id ? Promise.resolve(true) : isRunnerAlive(sql, runnerId)),
  }
}

/** Marks imports whose runner died (a crash, a kill) as failed; run at start and before each new import. */
export async function failOrphanedImports(sql: Sql, runner: ImportRunner, now: Date): Promise<number> {
  const dead: string[] = []
  for (const runnerId of await inProgressRunners(sql)) if (!(await runner.isAlive(runnerId))) dead.push(runnerId)
  return failInterruptedImports(sql, dead, now)
}
