import type { ImportRecord } from '../../storage/imports/history.ts'

/** Who follows a running import (the CLI's stderr, the bot's progress message), and how often they want to hear. */
export type ImportProgress = { everyMs: number; report: (i: ImportRecord) => void }

/**
 * Hands a follower the import as it was just read (followImport reads it), at most once every `everyMs` by the
 * injected clock and only while it is in progress. The first report comes `everyMs` after the start, as a
 * ticker's would; the summary at the end is the caller's.
 */
export function progressReporter(progress: ImportProgress | undefined, now: () => Date): (i: ImportRecord) => void {
  if (progress === undefined) return () => {}
  let last = now().getTime()
  return (i) => {
    const at = now().getTime()
    if (at - last < progress.everyMs || i.status !== 'in_progress') return
    last = at
    progress.report(i)
  }
}
