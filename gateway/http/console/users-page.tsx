/** @jsxImportSource hono/jsx */
import type { User } from '../../../storage/users.ts'
import type { AssetPaths } from './assets.ts'
import { Field, Page, SelectField } from './layout.tsx'

export type NewUserForm = { name: string; email: string; role: string; telegramId: string; inboxes: string }
export type UsersView = {
  user: User; assets: AssetPaths; users: User[]
  form: NewUserForm; errors: Partial<Record<keyof NewUserForm, string>>
  /** The one-time link just made, to hand over: shown on this page only. */
  issued?: { name: string; link: string } | undefined
}

export const EMPTY_USER_FORM: NewUserForm = { name: '', email: '', role: 'agent', telegramId: '', inboxes: '' }

export function UsersPage(v: UsersView) {
  return (
    <Page title="Users" assets={v.assets} user={v.user} section="users">
      <h1>Users</h1>
      {v.issued && (
        <div class="notice" role="status">
          <p>{`Hand this one-time link to ${v.issued.name} to choose a password (valid 24 hours; we send no email):`}</p>
          <p><input readonly aria-label="Password link" value={v.issued.link} /></p>
        </div>
      )}
      <div class="table-wrap">
        <table>
          <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Telegram id</th><th scope="col">Inboxes</th><th scope="col">Status</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {v.users.map((u) => (
              <tr>
                <td>{u.name}</td><td>{u.email ?? '—'}</td><td>{u.role}</td><td>{u.telegramId ?? '—'}</td>
                <td>{u.inboxes.map((i) => `${i.channel}:${i.accountId}`).join(', ') || '—'}</td>
                <td>{u.active ? 'Active' : 'Deactivated'}</td>
                <td>
                  {u.email !== null && u.active && (
                    <form method="post" action={`/console/users/${u.id}/password-link`} class="inline"><button type="submit" class="secondary" aria-label={`New password link for ${u.name}`}>New password link</button></form>
                  )}
                  {u.id !== v.user.id && (
                    <form method="post" action={`/console/users/${u.id}/active`} class="inline">
                      <input type="hidden" name="active" value={u.active ? 'false' : 'true'} />
                      <button type="submit" class="secondary" aria-label={`${u.active ? 'Deactivate' : 'Reactivate'} ${u.name}`}>{u.active ? 'Deactivate' : 'Reactivate'}</button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>New user</h2>
      <form method="post" action="/console/users" novalidate>
        <div class="form-grid">
          <Field name="name" label="Name" value={v.form.name} error={v.errors.name} />
          <Field name="email" label="Email" type="email" value={v.form.email} error={v.errors.email} />
          <SelectField name="role" label="Role" value={v.form.role} error={v.errors.role} options={[{ value: 'agent', label: 'Agent' }, { value: 'admin', label: 'Admin' }]} />
          <Field name="telegramId" label="Telegram id" value={v.form.telegramId} error={v.errors.telegramId} hint="Their numeric Telegram user id, to use the admin bot." />
          <Field name="inboxes" label="Inboxes" value={v.form.inboxes} error={v.errors.inboxes} hint="channel:account id, comma-separated, e.g. whatsapp:1234567890, messenger:9876" />
        </div>
        <button type="submit">Create user</button>
      </form>
    </Page>
  )
}
