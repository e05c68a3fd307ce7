export type Actor = { id: string; role: 'admin' | 'agent' }

/** Who may change a contact: admins any; agents the contacts they own and those nobody owns yet. */
export function mayChangeContact(actor: Actor, ownerId: string | null): boolean {
  return actor.role === 'admin' || ownerId === null || ownerId === actor.id
}
