import { inboxStats, listDeadDeliveries, reviveDelivery, type InboxStats } from '../../storage/inbox.ts'
import type { TimeCursor, TimePage } from '../../storage/pages.ts'
import type { DeadDelivery } from '../../storage/inbox.ts'
import type { Deps } from '../deps.ts'
import { AppError } from './errors.ts'

export { isDeliveryId, type DeadDelivery, type InboxStats } from '../../storage/inbox.ts'

export function deadDeliveries(deps: Deps, limit: number, after: TimeCursor | null): Promise<TimePage<DeadDelivery>> {
  return listDeadDeliveries(deps.sql, limit, after)
}

/** A dead delivery goes back in line with its attempts reset; the drainers take it at once. */
export async function retryDeadDelivery(deps: Deps, id: string): Promise<void> {
  if (!(await reviveDelivery(deps.sql, id))) throw new AppError('not_found', 'No dead delivery with this id.')
  deps.inbox.wake()
}

export function inboxHealth(deps: Deps): Promise<InboxStats> {
  return inboxStats(deps.sql, deps.now())
}
