export type RoutingInput = {
  /** The contact's owner, when the contact already exists. */
  ownerId: string | null
  /** Active members of the inbox, in a stable order. */
  members: string[]
  /** Active admins, in a stable order: they take the chats of an inbox nobody is a member of. */
  admins: string[]
  /** How many chats the inbox has handed out by round-robin so far. */
  turn: number
}

export type Assignment = { assigneeId: string | null; usedTurn: boolean }

/** A returning contact goes to its owner when the owner works this inbox; everyone else takes turns. */
export function chooseAssignee(input: RoutingInput): Assignment {
  if (input.ownerId !== null && input.members.includes(input.ownerId)) return { assigneeId: input.ownerId, usedTurn: false }
  const pool = input.members.length > 0 ? input.members : input.admins
  if (pool.length === 0) return { assigneeId: null, usedTurn: false }
  return { assigneeId: pool[input.turn % pool.length] ?? null, usedTurn: true }
}

/** Receipts arrive out of order; a status only ever moves forward (a late "delivered" never undoes "read"). */
export const DELIVERY_ORDER = ['sent', 'delivered', 'read', 'played', 'failed', 'deleted'] as const
