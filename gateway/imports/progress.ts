import { getImport, type ImportRecord } from '../../storage/imports/history.ts'
import type { Sql } from '../../storage/sql.ts'

/** Who follows a running import (the CLI's stderr, the bot's progress message), and how often they want to hear. */
export type ImportProgress = { everyMs: number; report: (i: ImportRecord) => void }

/**
 * Called by the import as each batch is saved: at most once every `everyMs` (by the injected clock), it reads the
 * import as saved and hands it to the follower while it is still in progress. The first report comes `everyMs`
 * after the start, as a ticker's would; the summary at the end is the caller's. Errors never reach the import,
 * which does not wait for the report (the promise is for tests).
 */
export function progressReporter(sql: Sql, importId: string, progress: ImportProgress | undefined, now: () => Date): () => Promise<void> {
  if (progress === undefined) return async () => {}
  let last = now().getTime()
  return async () => {
    const at = now().getTime()
    if (at - last < progress.everyMs) return
    last = at
    await getImport(sql, importId)
      .then((i) => {
        if (i !== null && i.status === 'in_progress') progress.report(i)
      })
      .catch(() => {})
  }
}
