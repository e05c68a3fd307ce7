/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { mayChangeContact } from '../../../domain/access.ts'
import type { Contact } from '../../../domain/contact.ts'
import { canonicalId } from '../../../domain/ids.ts'
import { formatMobileForReading } from '../../../domain/phone.ts'
import { compareForMerge, MERGE_FIELDS, type FieldAgreement, type MergeChoices, type MergeField } from '../../../domain/merge-choices.ts'
import type { User } from '../../../storage/users.ts'
import { allUsers } from '../../actions/users.ts'
import { getActiveContacts } from '../../../storage/contacts.ts'
import { listMerges } from '../../../storage/merges.ts'
import { AppError } from '../../actions/errors.ts'
import { dismissDuplicateGroup, duplicateGroups, mergeDuplicates, undoMerge } from '../../actions/merges.ts'
import type { ConsoleEnv } from './env.ts'
import { Page, userName } from './layout.tsx'
import { Time } from './time.tsx'

type C = Context<ConsoleEnv>

function label(c: Contact): string {
  return c.name ?? c.mobile ?? c.email ?? c.id
}

function ids(raw: string | undefined): string[] {
  return [...new Set((raw ?? '').split(',').map((s) => canonicalId(s.trim())).filter((s): s is string => s !== null))]
}

function problem(c: C, message: string, status: 404 | 409 | 422) {
  return c.html(<Page title="Duplicates" assets={c.var.assets} user={c.var.user} section="duplicates"><p class="notice bad" role="alert">{message}</p><p><a href="/console/duplicates">Back to duplicates</a></p></Page>, status)
}

const FIELD_ROWS: { field: MergeField; label: string; value: (c: Contact, users: User[]) => string }[] = [
  { field: 'name', label: 'Name', value: (c) => c.name ?? '' },
  { field: 'mobile', label: 'Mobile', value: (c) => (c.mobile === null ? '' : formatMobileForReading(c.mobile)) },
  { field: 'email', label: 'Email', value: (c) => c.email ?? '' },
  { field: 'dateOfBirth', label: 'Date of birth', value: (c) => c.dateOfBirth ?? '' },
  { field: 'company', label: 'Company', value: (c) => c.company ?? '' },
  { field: 'address', label: 'Address', value: (c) => Object.values(c.address).filter((v) => v !== undefined && v !== '').join(', ') },
  { field: 'social', label: 'Social', value: (c) => Object.entries(c.social).map(([k, v]) => `${k}: ${v}`).join(', ') },
  { field: 'ownerId', label: 'Owner', value: (c, users) => (c.ownerId === null ? '' : userName(users, c.ownerId, 'a former user')) },
]

const AGREEMENT: Record<FieldAgreement, string> = { agree: 'the same', one_empty: 'only one has it', conflict: 'they differ: choose' }

export function duplicatePages() {
  const app = new Hono<ConsoleEnv>()
  app.get('/console/duplicates', async (c) => {
    const user = c.var.user
    // An agent sees the groups they may act on: every contact in it theirs or nobody's.
    const groups = (await duplicateGroups(c.var.deps, 200)).filter((g) => g.contacts.length > 1 && g.contacts.every((x) => mayChangeContact(user, x.ownerId)))
    const merges = (await listMerges(c.var.deps.sql, 20, null)).items
    return c.html(
      <Page title="Duplicates" assets={c.var.assets} user={user} section="duplicates">
        <h1>Duplicates</h1>
        {c.req.query('done') && <p class="notice" role="status">{c.req.query('done')}</p>}
        {groups.length === 0 ? <p>No likely duplicates.</p> : groups.map((g) => (
          <section class="notice" aria-label={`Duplicates: ${g.contacts.map(label).join(', ')}`}>
            <p><strong>{g.reasons.map((r) => r.message).join('; ')}</strong></p>
            <ul>{g.contacts.map((x) => <li><a href={`/console/contacts/${x.id}`}>{label(x)}</a>{` ${x.mobile ?? ''} ${x.email ?? ''}`}</li>)}</ul>
            <form method="get" action="/console/duplicates/merge" class="inline"><input type="hidden" name="ids" value={g.contacts.map((x) => x.id).join(',')} /><button type="submit">Merge</button></form>{' '}
            <form method="post" action="/console/duplicates/dismiss" class="inline"><input type="hidden" name="ids" value={g.contacts.map((x) => x.id).join(',')} /><button type="submit" class="secondary">Not duplicates</button></form>
          </section>
        ))}
        <h2>Merges</h2>
        {merges.length === 0 ? <p>No merges yet.</p> : (
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Time</th><th scope="col">Kept</th><th scope="col">Merged in</th><th scope="col">Undo</th></tr></thead>
            <tbody>{merges.map((m) => (
              <tr>
                <td><Time at={m.createdAt} /></td><td><a href={`/console/contacts/${m.primaryId}`}>{m.primaryId}</a></td><td>{m.duplicateIds.join(', ')}</td>
                <td>{m.undoneAt !== null ? <>Undone <Time at={m.undoneAt} /></> : <form method="post" action={`/console/merges/${m.id}/undo`} class="inline"><button type="submit" class="secondary">Undo</button></form>}</td>
              </tr>
            ))}</tbody>
          </table></div>
        )}
      </Page>)
  })
  app.get('/console/duplicates/merge', async (c) => {
    const wanted = ids(c.req.query('ids'))
    const found = await getActiveContacts(c.var.deps.sql, wanted)
    const contacts = wanted.flatMap((id) => found.get(id) ?? [])
    if (contacts.length < 2) return problem(c, 'These contacts are no longer there to merge.', 404)
    if (!contacts.every((x) => mayChangeContact(c.var.user, x.ownerId))) return problem(c, 'Some of these contacts are not yours to change.', 409)
    const agreement = compareForMerge(contacts)
    const users = await allUsers(c.var.deps)
    return c.html(
      <Page title="Merge contacts" assets={c.var.assets} user={c.var.user} section="duplicates">
        <h1>Merge contacts</h1>
        <form method="post" action="/console/duplicates/merge">
          <input type="hidden" name="ids" value={wanted.join(',')} />
          <div class="table-wrap"><table>
            <thead><tr><th scope="col">Field</th>{contacts.map((x) => <th scope="col">{label(x)}</th>)}<th scope="col">Settled?</th></tr></thead>
            <tbody>
              <tr><th scope="row">Keep as the contact</th>{contacts.map((x, i) => <td><input type="radio" name="primaryId" value={x.id} checked={i === 0} aria-label={`Keep ${label(x)}`} /></td>)}<td></td></tr>
              {FIELD_ROWS.map((r) => (
                <tr>
                  <th scope="row">{r.label}</th>
                  {contacts.map((x, i) => (
                    <td>
                      {agreement[r.field] === 'conflict'
                        ? <label class="inline-label"><input type="radio" name={`field.${r.field}`} value={x.id} checked={i === 0} aria-label={`${r.label}: ${r.value(x, users) || 'empty'} (${label(x)})`} />{` ${r.value(x, users)}`}</label>
                        : r.value(x, users)}
                    </td>
                  ))}
                  <td>{AGREEMENT[agreement[r.field]]}</td>
                </tr>
              ))}
              <tr><th scope="row">Channels that move</th>{contacts.map((x) => <td>{String(x.identities.length)}</td>)}<td></td></tr>
            </tbody>
          </table></div>
          <p>Every mobile, email, channel, chat and message moves to the contact you keep; the others' mobiles and emails are kept among its other ones. You can undo it.</p>
          <button type="submit">Merge</button> <a href="/console/duplicates">Cancel</a>
        </form>
      </Page>)
  })
  app.post('/console/duplicates/merge', async (c) => {
    const body = await c.req.parseBody()
    const all = ids(typeof body.ids === 'string' ? body.ids : '')
    const primaryId = canonicalId(typeof body.primaryId === 'string' ? body.primaryId : '') ?? all[0]
    if (primaryId === undefined || all.length < 2) return problem(c, 'Choose the contacts to merge.', 422)
    const found = await getActiveContacts(c.var.deps.sql, all)
    if (![...found.values()].every((x) => mayChangeContact(c.var.user, x.ownerId))) return problem(c, 'Some of these contacts are not yours to change.', 409)
    try {
      const choices: MergeChoices = Object.fromEntries(MERGE_FIELDS.flatMap((f) => {
        const id = canonicalId(typeof body[`field.${f}`] === 'string' ? (body[`field.${f}`] as string) : '')
        return id === null ? [] : [[f, id]]
      }))
      const merged = await mergeDuplicates(c.var.deps, c.var.user, primaryId, all.filter((id) => id !== primaryId), choices)
      return c.redirect(`/console/contacts/${merged.contact.id}?merged=${merged.merge.id}`, 303)
    } catch (error) {
      if (error instanceof AppError) return problem(c, error.message, 409)
      throw error
    }
  })
  app.post('/console/duplicates/dismiss', async (c) => {
    const body = await c.req.parseBody()
    try {
      await dismissDuplicateGroup(c.var.deps, c.var.user, ids(typeof body.ids === 'string' ? body.ids : ''))
    } catch (error) {
      if (error instanceof AppError) return problem(c, error.message, 422)
      throw error
    }
    return c.redirect(`/console/duplicates?done=${encodeURIComponent('Marked as different people; they will not be suggested together again.')}`, 303)
  })
  app.post('/console/merges/:id/undo', async (c) => {
    const id = canonicalId(c.req.param('id'))
    if (id === null) return problem(c, 'No such merge.', 404)
    try {
      const undone = await undoMerge(c.var.deps, c.var.user, id)
      return c.redirect(`/console/duplicates?done=${encodeURIComponent(`Merge undone: ${undone.merge.duplicateIds.length + 1} contacts are back.`)}`, 303)
    } catch (error) {
      if (error instanceof AppError) return problem(c, error.message, 409)
      throw error
    }
  })
  return app
}
