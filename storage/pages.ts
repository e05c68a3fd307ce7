/** Newest-first pages of a contact's messages and history are keyed on (time, id), so equal times page cleanly. */
export type TimeCursor = { at: string; id: string }
export type TimePage<T> = { items: T[]; next: TimeCursor | null }

/**
 * Cuts `limit` items from rows read with `limit + 1`; the extra row only says there is a next page, whose cursor
 * is the last item kept.
 */
export function timePage<R, T>(rows: readonly R[], limit: number, item: (row: R) => T, key: (row: R) => TimeCursor): TimePage<T> {
  const kept = rows.slice(0, limit)
  const last = kept.at(-1)
  return { items: kept.map(item), next: rows.length > limit && last !== undefined ? key(last) : null }
}
