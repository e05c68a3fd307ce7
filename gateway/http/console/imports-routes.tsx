/** @jsxImportSource hono/jsx */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { stream } from 'hono/streaming'
import { canonicalId } from '../../../domain/ids.ts'
import type { ImportRecord } from '../../../storage/imports/history.ts'
import { AppError } from '../../actions/errors.ts'
import { importFor, importHistory, importRowsPage } from '../../actions/import-history.ts'
import { startFileImport } from '../../actions/imports.ts'
import { failuresAsCsv } from '../../imports/failures.ts'
import type { ConsoleEnv } from './env.ts'
import { Page } from './layout.tsx'

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
        <dt>Total rows</dt><dd>{i.totalRows}</dd>
        <dt>Imported</dt><dd>{i.imported}</dd>
        <dt>Updated</dt><dd>{i.updated}</dd>
        <dt>Duplicates</dt><dd>{i.duplicates}</dd>
        <dt>Failed</dt><dd>{i.failed}</dd>
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
            <thead><tr><th scope="col">Time</th><th scope="col">File</th><th scope="col">Total rows</th><th scope="col">Imported</th><th scope="col">Updated</th><th scope="col">Duplicates</th><th scope="col">Failed</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {page.items.length === 0 ? <tr><td colspan={8}>No imports yet.</td></tr> : page.items.map((i) => (
                <tr>
                  <td><a href={`/console/imports/${i.id}`}>{i.createdAt}</a></td>
                  <td>{i.source === 'file' ? (i.fileName ?? '(file)') : i.source === 'hubspot' ? 'HubSpot sync' : 'Zoho sync'}</td>
                  <td>{i.totalRows}</td><td>{i.imported}</td><td>{i.updated}</td><td>{i.duplicates}</td>
                  <td><a href={`/console/imports/${i.id}`} aria-label={`${i.failed} failed rows of ${i.fileName ?? 'this import'}`}>{i.failed}</a></td>
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
        <p>A CSV file as your spreadsheet or contacts tool exports it (Excel: "Save as CSV"). Columns are matched by their headers; rows that cannot be imported are listed with the reason.</p>
        <form method="post" action="/console/imports/new" enctype="multipart/form-data">
          <div class="field"><label for="f-file">File</label><input id="f-file" type="file" name="file" accept=".csv,text/csv,text/plain" required /></div>
          <div class="field">
            <label for="f-onDuplicate">When a row matches an existing contact</label>
            <select id="f-onDuplicate" name="onDuplicate"><option value="skip">Skip it (count it as a duplicate)</option><option value="update">Fill the contact's empty fields</option></select>
          </div>
          <button type="submit">Start import</button>
        </form>
      </Page>))
  app.post('/console/imports/new', async (c, next) => bodyLimit({ maxSize: c.var.deps.config.limits.importBytes + 64 * 1024, onError: () => { throw new AppError('payload_too_large', 'The file is larger than IMPORT_MAX_MB.') } })(c, next), async (c) => {
    const body = await c.req.parseBody()
    const file = body.file
    if (!(file instanceof File) || file.size === 0) return c.html(<Page title="New import" assets={c.var.assets} user={c.var.user} section="imports"><p class="notice bad" role="alert">Choose a CSV file to import; this one is empty.</p><p><a href="/console/imports/new">Try again</a></p></Page>, 400)
    try {
      const started = await startFileImport(c.var.deps, { bytes: file.stream(), fileName: file.name, bytesTotal: file.size, ownerId: c.var.user.id, onDuplicate: body.onDuplicate === 'update' ? 'update' : 'skip' })
      return c.redirect(`/console/imports/${started.id}`, 303)
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      return c.html(<Page title="New import" assets={c.var.assets} user={c.var.user} section="imports"><p class="notice bad" role="alert">{error.message}</p><p><a href="/console/imports/new">Try another file</a></p></Page>, 422)
    }
  })
  app.get('/console/imports/:id', async (c) => {
    const id = canonicalId(c.req.param('id'))
    const found = id === null ? null : await importFor(c.var.deps, c.var.user, id)
    if (found === null) return c.html(<Page title="Not found" assets={c.var.assets} user={c.var.user} section="imports"><h1>No such import</h1></Page>, 404)
    const after = Number(c.req.query('after') ?? 0) || 0
    const rows = found.status === 'in_progress' ? [] : await importRowsPage(c.var.deps, found.id, after, ROWS_PER_PAGE)
    return c.html(
      <Page title={`Import ${found.fileName ?? ''}`} assets={c.var.assets} user={c.var.user} section="imports">
        <h1>{`Import of ${found.fileName ?? found.source}`}</h1>
        <Progress i={found} />
        {found.status !== 'in_progress' && (
          <section aria-labelledby="h-rows">
            <h2 id="h-rows">Rows not imported</h2>
            {found.failed + found.duplicates > 0 && <p><a href={`/console/imports/${found.id}/failures.csv`} download>Download failed rows</a></p>}
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
