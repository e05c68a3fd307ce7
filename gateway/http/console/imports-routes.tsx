/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { stream } from 'hono/streaming'
import { canonicalId } from '../../../domain/ids.ts'
import type { ImportRecord } from '../../../storage/imports/history.ts'
import { AppError } from '../../actions/errors.ts'
import { importFor, importHistory, importRowsPage } from '../../actions/import-history.ts'
import { cancelDraft, createDraft, draftView, startDraft, type DraftView } from '../../actions/import-drafts.ts'
import { fileError, importTooLarge, MULTIPART_SLACK_BYTES } from '../../imports/upload.ts'
import { failuresAsCsv } from '../../imports/failures.ts'
import { spoolUpload } from '../../imports/spool.ts'
import { DraftForm, mappingFromForm, NEW_FIELD } from './import-draft-page.tsx'
import { fieldForColumn } from '../../actions/custom-fields.ts'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'
import { Time } from './time.tsx'

const ROWS_PER_PAGE = 100
const STATUS: Record<ImportRecord['status'], string> = { draft: 'Draft', in_progress: 'Running', completed: 'Completed', failed: 'Failed' }

function Progress(p: { i: ImportRecord }) {
  const { i } = p
  const live = i.status === 'in_progress'
  return (
    <section id="progress" aria-live="polite" {...(live ? { 'hx-get': `/console/imports/${i.id}`, 'hx-trigger': 'every 1s', 'hx-select': '#progress', 'hx-swap': 'outerHTML' } : {})}>
      <p>{`Status: ${STATUS[i.status]}`}{i.failureReason !== null && ` — ${i.failureReason}`}</p>
      {i.bytesTotal !== null && i.bytesTotal > 0 && (
        <p><label for="import-bytes">Read</label><progress id="import-bytes" max={i.bytesTotal} value={Math.min(i.bytesRead, i.bytesTotal)}>{`${Math.round((100 * i.bytesRead) / i.bytesTotal)}%`}</progress></p>
      )}
      <dl class="facts">
        <dt>Started</dt><dd><Time at={i.createdAt} /></dd>
        {i.finishedAt !== null && <><dt>Finished</dt><dd><Time at={i.finishedAt} /></dd></>}
        <dt>Total rows</dt><dd>{i.totalRows}</dd>
        <dt>Imported</dt><dd>{i.imported}</dd>
        <dt>Updated</dt><dd>{i.updated}</dd>
        <dt>Duplicates</dt><dd>{i.duplicates}</dd>
        <dt>Failed</dt><dd>{i.failed}</dd>
        <dt>Warnings</dt><dd>{i.warnings}</dd>
      </dl>
    </section>
  )
}

export function importPages() {
  const app = new Hono<ConsoleEnv>()
  app.get('/console/imports', async (c) => {
    const before = canonicalId(c.req.query('before') ?? '')
    const page = await importHistory(c.var.deps, c.var.user, 50, before)
    return c.html(
      <Page title="Imports" assets={c.var.assets} user={c.var.user} section="imports">
        <div class="toolbar">
          <h1>Imports</h1>
          <div class="actions"><form method="get" action="/console/imports/new" class="inline"><button type="submit">New import</button></form></div>
        </div>
        <div class="table-wrap">
          <table>
            <thead><tr><th scope="col">Time</th><th scope="col">File</th><th scope="col">Total rows</th><th scope="col">Imported</th><th scope="col">Updated</th><th scope="col">Duplicates</th><th scope="col">Failed</th><th scope="col">Warnings</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {page.items.length === 0 ? <tr><td colspan={9}>No imports yet.</td></tr> : page.items.map((i) => (
                <tr>
                  <td><a href={`/console/imports/${i.id}`}><Time at={i.createdAt} /></a></td>
                  <td>{i.source === 'file' ? (i.fileName ?? '(file)') : i.source === 'hubspot' ? 'HubSpot sync' : 'Zoho sync'}</td>
                  <td>{i.totalRows}</td><td>{i.imported}</td><td>{i.updated}</td><td>{i.duplicates}</td>
                  <td><a href={`/console/imports/${i.id}`} aria-label={`${i.failed} failed rows of ${i.fileName ?? 'this import'}`}>{i.failed}</a></td>
                  <td>{i.warnings}</td>
                  <td>{STATUS[i.status]}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {page.next !== null && <nav class="pager" aria-label="Pages"><a href={`/console/imports?before=${page.next}`}>Next</a></nav>}
      </Page>)
  })
  app.get('/console/imports/new', (c) =>
    c.html(
      <Page title="New import" assets={c.var.assets} user={c.var.user} section="imports">
        <h1>New import</h1>
        <p>A CSV file as your spreadsheet or contacts tool exports it (Google Contacts, Outlook, HubSpot, Zoho, Mailchimp; Excel: "Save as CSV"), or a vCard (.vcf) file as Apple Contacts, Android or Outlook exports it (each card is a row). Next you see how its columns are matched, with a preview, and can change them before anything is imported.</p>
        <form method="post" action="/console/imports/new" enctype="multipart/form-data">
          <div class="field drop"><label for="f-file">File</label><input id="f-file" type="file" name="file" accept=".csv,.txt,.vcf,text/csv,text/plain,text/vcard,text/x-vcard" required aria-describedby="f-file-hint" /><small id="f-file-hint">Choose the file, or drop it on this field.</small></div>
          <div class="field">
            <label for="f-onDuplicate">When a row matches an existing contact</label>
            <select id="f-onDuplicate" name="onDuplicate"><option value="skip">Skip it (count it as a duplicate)</option><option value="update">Fill the contact's empty fields</option></select>
          </div>
          <button type="submit">Upload</button>
        </form>
      </Page>))
  app.post('/console/imports/new', async (c, next) => bodyLimit({ maxSize: c.var.deps.config.limits.importBytes + MULTIPART_SLACK_BYTES, onError: () => { throw importTooLarge(c.var.deps.config.limits.importBytes) } })(c, next), async (c) => {
    const body = await c.req.parseBody()
    const file = body.file
    if (!(file instanceof File) || file.size === 0) return c.html(<Page title="New import" assets={c.var.assets} user={c.var.user} section="imports"><p class="notice bad" role="alert">Choose a CSV or vCard file to import; this one is empty.</p><p><a href="/console/imports/new">Try again</a></p></Page>, 400)
    const { deps } = c.var
    // As the API does: the file goes to disk while the runner is held, then becomes a draft to check and start.
    const release = await deps.importRunner.begin()
    try {
      const spooled = await spoolUpload(file.stream(), deps.config.limits.importBytes, deps.config.spoolDir, deps.importRunner.id).catch((error: unknown) => {
        throw fileError(error, deps.config.limits.importBytes)
      })
      const draft = await createDraft(deps, { keep: (path) => spooled.moveTo(path), size: spooled.size, fileName: file.name, contentType: file.type, ownerId: c.var.user.id, onDuplicate: body.onDuplicate === 'update' ? 'update' : 'skip' })
      return c.redirect(`/console/imports/${draft.id}`, 303)
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      return c.html(<Page title="New import" assets={c.var.assets} user={c.var.user} section="imports"><h1>New import</h1><p class="notice bad" role="alert">{error.message}</p><p><a href="/console/imports/new">Try another file</a></p></Page>, error.code === 'unsupported_file' ? 415 : 422)
    } finally {
      await release()
    }
  })
  const draftPage = (c: Context<ConsoleEnv>, d: DraftView, error?: string) =>
    c.html(<Page title="New import" assets={c.var.assets} user={c.var.user} section="imports"><DraftForm d={d} error={error} mayDefineFields={c.var.user.role === 'admin'} /></Page>, error === undefined ? 200 : 422)
  /** The draft with the form's mapping; a mapping that cannot be used comes back with the draft as it was and why. */
  const withForm = async (c: Context<ConsoleEnv>, id: string) => {
    const body = await c.req.parseBody()
    const current = await draftView(c.var.deps, c.var.user, id)
    const mapping = mappingFromForm(current, body)
    // An admin may make a column a new custom field right here; it is made before the preview or the start reads it.
    for (const [header, field] of Object.entries(mapping)) {
      if (field === NEW_FIELD) mapping[header] = `field:${await fieldForColumn(c.var.deps, c.var.user, header)}`
    }
    const change = { mapping, onDuplicate: body.onDuplicate === 'update' ? 'update' as const : 'skip' as const }
    return { current, change }
  }
  app.post('/console/imports/:id/preview', async (c) => {
    const id = canonicalId(c.req.param('id'))
    if (id === null) return c.notFound()
    const { current, change } = await withForm(c, id)
    try {
      return draftPage(c, await draftView(c.var.deps, c.var.user, id, change))
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      return draftPage(c, current, error.message)
    }
  })
  app.post('/console/imports/:id/start', async (c) => {
    const id = canonicalId(c.req.param('id'))
    if (id === null) return c.notFound()
    const { current, change } = await withForm(c, id)
    try {
      await startDraft(c.var.deps, c.var.user, id, change)
      return c.redirect(`/console/imports/${id}`, 303)
    } catch (error) {
      if (!(error instanceof AppError) || error.code === 'conflict') throw error
      return draftPage(c, current, error.message)
    }
  })
  app.post('/console/imports/:id/cancel', async (c) => {
    const id = canonicalId(c.req.param('id'))
    if (id !== null) await cancelDraft(c.var.deps, c.var.user, id)
    return c.redirect('/console/imports', 303)
  })
  app.get('/console/imports/:id', async (c) => {
    const id = canonicalId(c.req.param('id'))
    const found = id === null ? null : await importFor(c.var.deps, c.var.user, id)
    if (found === null) return c.html(<Page title="Not found" assets={c.var.assets} user={c.var.user} section="imports"><h1>No such import</h1></Page>, 404)
    if (found.status === 'draft') return draftPage(c, await draftView(c.var.deps, c.var.user, found.id))
    const after = Number(c.req.query('after') ?? 0) || 0
    const rows = found.status === 'in_progress' ? [] : await importRowsPage(c.var.deps, found.id, after, ROWS_PER_PAGE)
    return c.html(
      <Page title={`Import ${found.fileName ?? ''}`} assets={c.var.assets} user={c.var.user} section="imports">
        <h1>{`Import of ${found.fileName ?? found.source}`}</h1>
        <Progress i={found} />
        {found.status !== 'in_progress' && (
          <section aria-labelledby="h-rows">
            <h2 id="h-rows">Rows not imported, and warnings</h2>
            {found.failed + found.duplicates + found.warnings > 0 && <p><a href={`/console/imports/${found.id}/failures.csv`} download>Download failed rows</a></p>}
            {rows.length === 0 ? <p>Every row was imported.</p> : (
              <div class="table-wrap"><table>
                <thead><tr><th scope="col">Row</th><th scope="col">Kind</th><th scope="col">Reason</th></tr></thead>
                <tbody>{rows.map((r) => <tr><td>{r.row}</td><td>{r.kind}</td><td>{r.reason}</td></tr>)}</tbody>
              </table></div>
            )}
            {rows.length === ROWS_PER_PAGE && <nav class="pager" aria-label="Pages"><a href={`/console/imports/${found.id}?after=${rows.at(-1)?.row ?? 0}`}>Next</a></nav>}
          </section>
        )}
      </Page>)
  })
  app.get('/console/imports/:id/failures.csv', async (c) => {
    const id = canonicalId(c.req.param('id'))
    const found = id === null ? null : await importFor(c.var.deps, c.var.user, id)
    if (found === null) return c.text('No such import.', 404)
    c.header('content-type', 'text/csv; charset=utf-8')
    c.header('content-disposition', `attachment; filename="failed-rows-${found.id}.csv"`)
    return stream(c, async (s) => { for await (const chunk of failuresAsCsv(c.var.deps.sql, found.id, found.headers)) await s.write(chunk) })
  })
  return app
}
