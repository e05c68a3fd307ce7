import { applyContactPatch } from '../../domain/contact-fields.ts'
import type { Door } from '../../domain/history.ts'
import { EMPTY_CONTACT_FIELDS, type Contact, type Preference } from '../../domain/contact.ts'
import { checkReachable, validateContactInput, type ContactInput, type FieldError } from '../../domain/validate.ts'
import { insertContact, updateContactFields, type ContactConflict } from '../../storage/contacts.ts'
import { userExists, type User } from '../../storage/users.ts'
import type { Deps } from '../deps.ts'
import { checkOrganizing, organizingWrite, type OrganizingInput } from './contact-organizing.ts'

/** The doors a person types through: the API, the console, the bot. */
export type ManualDoor = 'manual' | 'console' | 'bot'

export type ContactCommand = ContactInput & OrganizingInput & { preference?: Preference | undefined; ownerId?: string | null | undefined }

export type ContactOutcome =
  | { ok: true; contact: Contact }
  | { ok: false; kind: 'invalid'; errors: FieldError[] }
  | { ok: false; kind: 'duplicate'; conflict: ContactConflict }
  | { ok: false; kind: 'not_found' }

function today(deps: Deps): string {
  return deps.now().toISOString().slice(0, 10)
}

async function checkOwner(deps: Deps, ownerId: string | null | undefined): Promise<FieldError | null> {
  if (ownerId === undefined || ownerId === null) return null
  return (await userExists(deps.sql, ownerId)) ? null : { field: 'ownerId', code: 'unknown_user', message: `no active user has id ${ownerId}` }
}

/** A contact typed in by a person (API or bot): the actor owns it unless another owner is named. */
export async function createManualContact(deps: Deps, actor: User, input: ContactCommand, source: ManualDoor = 'manual'): Promise<ContactOutcome> {
  const validated = validateContactInput(input, { defaultCountry: deps.config.defaultCountry, today: today(deps) })
  if (!validated.ok) return { ok: false, kind: 'invalid', errors: validated.errors }
  const fields = applyContactPatch(EMPTY_CONTACT_FIELDS, validated.value)
  const organizing = await checkOrganizing(deps, input)
  const problems = [checkReachable(fields, 0), await checkOwner(deps, input.ownerId), ...(organizing.ok ? [] : organizing.errors)].filter((e): e is FieldError => e !== null)
  if (problems.length > 0 || !organizing.ok) return { ok: false, kind: 'invalid', errors: problems }
  const organized = (await organizingWrite(deps, organizing.value))({})
  const saved = await insertContact(deps.sql, {
    ...organized,
    id: deps.newId(),
    fields,
    ownerId: input.ownerId === undefined ? actor.id : input.ownerId,
    // Nobody may be messaged unprompted until a person says they agreed to it.
    preference: input.preference ?? 'reactive',
    source: 'manual',
    issues: [],
    identities: [],
    now: deps.now(),
    door: { source, actorId: actor.id },
  })
  return saved.ok ? saved : { ok: false, kind: 'duplicate', conflict: saved.conflict }
}

/** `door` is recorded in the contact's history with what changed. */
export async function editContact(deps: Deps, id: string, input: ContactCommand, door: Door = { source: 'manual', actorId: null }): Promise<ContactOutcome> {
  const validated = validateContactInput(input, { defaultCountry: deps.config.defaultCountry, today: today(deps) })
  if (!validated.ok) return { ok: false, kind: 'invalid', errors: validated.errors }
  const ownerProblem = await checkOwner(deps, input.ownerId)
  if (ownerProblem !== null) return { ok: false, kind: 'invalid', errors: [ownerProblem] }
  const organizing = await checkOrganizing(deps, input)
  if (!organizing.ok) return { ok: false, kind: 'invalid', errors: organizing.errors }
  const organize = await organizingWrite(deps, organizing.value)
  const outcome = await updateContactFields<FieldError[]>(deps.sql, id, deps.now(), (current) => {
    const fields = applyContactPatch(current, validated.value)
    const unreachable = checkReachable(fields, current.identities.length)
    if (unreachable !== null) return { ok: false, rejected: [unreachable] }
    return {
      ok: true,
      fields,
      preference: input.preference ?? current.preference,
      ownerId: input.ownerId === undefined ? current.ownerId : input.ownerId,
      ...organize(current.fields),
    }
  }, door)
  if (outcome.ok) return outcome
  if ('notFound' in outcome) return { ok: false, kind: 'not_found' }
  if ('rejected' in outcome) return { ok: false, kind: 'invalid', errors: outcome.rejected }
  return { ok: false, kind: 'duplicate', conflict: outcome.conflict }
}
