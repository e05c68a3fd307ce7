import { chooseAssignee } from '../routing.ts'
import type { PlannedChat } from './plan.ts'

export type InboxTurns = { channel: string; accountId: string; count: number }

export const inboxKey = (channel: string, accountId: string): string => `${channel}|${accountId}`

/**
 * How many round-robin turns each inbox must hand out for the chats a batch opens, sorted by inbox: every writer
 * locks the inboxes' counter rows in this order, so two batches never wait on each other in a cycle. Owners of
 * contacts new in the batch are not known yet, so they are counted as turns; one may be left unused.
 */
export function turnsWanted(chats: readonly PlannedChat[]): InboxTurns[] {
  const wanted = new Map<string, InboxTurns>()
  for (const chat of chats) {
    if (chat.open === null) continue
    if (!chooseAssignee({ ownerId: chat.contact.ownerId, members: chat.open.members, admins: chat.open.admins, turn: 0 }).usedTurn) continue
    const key = inboxKey(chat.channel, chat.accountId)
    const inbox = wanted.get(key) ?? { channel: chat.channel, accountId: chat.accountId, count: 0 }
    inbox.count++
    wanted.set(key, inbox)
  }
  return [...wanted.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, w]) => w)
}

/**
 * Routes the chats a batch opens, in order: to the contact's owner when they work the inbox, otherwise by the
 * inbox's next turn (`firstTurns` holds the first turn each inbox handed out). A new contact is owned by whoever
 * receives its first chat.
 */
export function assignChats(chats: readonly PlannedChat[], firstTurns: ReadonlyMap<string, number>): void {
  const next = new Map(firstTurns)
  for (const chat of chats) {
    if (chat.open === null) continue
    const people = { ownerId: chat.contact.ownerId, members: chat.open.members, admins: chat.open.admins }
    const first = chooseAssignee({ ...people, turn: 0 })
    let assignment = first
    if (first.usedTurn) {
      const key = inboxKey(chat.channel, chat.accountId)
      const turn = next.get(key) ?? 0
      next.set(key, turn + 1)
      assignment = chooseAssignee({ ...people, turn })
    }
    chat.open.assigneeId = assignment.assigneeId
    if (chat.contact.isNew && chat.contact.ownerId === null) chat.contact.ownerId = assignment.assigneeId
  }
}
