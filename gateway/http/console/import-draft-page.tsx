/** @jsxImportSource hono/jsx */
import { MAPPING_FIELDS, type ColumnTarget, type Mapping } from '../../../domain/csv/columns.ts'
import type { DraftView } from '../../actions/import-drafts.ts'

const FIELD_LABELS: Record<Exclude<ColumnTarget, `field:${string}`>, string> = {
  name: 'Name', namePrefix: 'Name prefix', firstName: 'First name', middleName: 'Middle name', lastName: 'Last name', nameSuffix: 'Name suffix',
  mobile: 'Mobile', otherMobile: 'Other mobile', email: 'Email', otherEmail: 'Other email', dateOfBirth: 'Date of birth', company: 'Company',
  street: 'Street', city: 'City', state: 'State', zip: 'Zip', country: 'Country',
  instagram: 'Instagram', facebook: 'Facebook', linkedin: 'LinkedIn', twitter: 'Twitter', labels: 'Labels',
}

/** The select's value for "make this column a new custom field" (admins). */
export const NEW_FIELD = 'new-field'

/** The form's selects back as a mapping: one `col-<index>` per column, "" for Ignore. */
export function mappingFromForm(d: Pick<DraftView, 'columns'>, form: Record<string, unknown>): Mapping {
  const mapping: Mapping = {}
  d.columns.forEach((c, i) => {
    const value = form[`col-${i}`]
    if (typeof value === 'string') mapping[c.header] = value === '' ? null : value
  })
  return mapping
}

/** What importing the first rows would do; htmx swaps this section when a select changes. */
export function DraftPreviewSection(p: { d: DraftView }) {
  const { preview, problem } = p.d
  return (
    <section id="preview" aria-labelledby="h-preview" aria-live="polite">
      <h2 id="h-preview">{`Preview of the first ${preview.rows} rows`}</h2>
      {problem !== null && <p class="notice bad" role="alert">{`Choose the phone or email column: ${problem}.`}</p>}
      <dl class="facts">
        <dt>Would be imported</dt><dd>{preview.imported}</dd>
        <dt>Would update</dt><dd>{preview.updated}</dd>
        <dt>Duplicates</dt><dd>{preview.duplicates}</dd>
        <dt>Failed</dt><dd>{preview.failed}</dd>
        <dt>Warnings</dt><dd>{preview.warnings}</dd>
      </dl>
      {preview.failures.length > 0 && (
        <div class="table-wrap"><table>
          <caption>First reasons</caption>
          <thead><tr><th scope="col">Row</th><th scope="col">Kind</th><th scope="col">Reason</th></tr></thead>
          <tbody>{preview.failures.slice(0, 20).map((f) => <tr><td>{f.row}</td><td>{f.kind}</td><td>{f.reason}</td></tr>)}</tbody>
        </table></div>
      )}
    </section>
  )
}

/** A draft: one select per column, labelled with its header, preset to the suggestion; the preview; "Start import". */
export function DraftForm(p: { d: DraftView; error?: string | undefined; mayDefineFields?: boolean }) {
  const { d } = p
  const previewUrl = `/console/imports/${d.id}/preview`
  const hx = { 'hx-post': previewUrl, 'hx-trigger': 'change', 'hx-target': '#preview', 'hx-select': '#preview', 'hx-swap': 'outerHTML', 'hx-include': '#draft-form' }
  return (
    <>
      <h1>{`New import: ${d.fileName ?? 'file'}`}</h1>
      {p.error !== undefined && <p class="notice bad" role="alert">{p.error}</p>}
      <p>{`Read as ${d.encoding}, ${d.delimiter === 'vcard' ? 'a vCard file: each card is a row, its fields in the columns below' : `columns separated by "${d.delimiter === '\t' ? 'tab' : d.delimiter}"`}. Check what each column is; nothing is imported until you start.`}</p>
      <form id="draft-form" method="post" action={`/console/imports/${d.id}/start`}>
        <fieldset>
          <legend>Columns</legend>
          {d.columns.map((c, i) => (
            <div class="field">
              <label for={`col-${i}`}>{c.header === '' ? `Column ${c.letter}` : c.header}</label>
              <select id={`col-${i}`} name={`col-${i}`} aria-describedby={`col-${i}-samples`} {...hx}>
                <option value="" selected={c.field === null}>Ignore</option>
                {MAPPING_FIELDS.map((f) => <option value={f} selected={c.field === f}>{FIELD_LABELS[f as keyof typeof FIELD_LABELS]}</option>)}
                {d.customFields.map((f) => <option value={`field:${f.key}`} selected={c.field === `field:${f.key}`}>{`${f.label} (custom field)`}</option>)}
                {p.mayDefineFields === true && c.field === null && <option value={NEW_FIELD}>New custom field (text)</option>}
              </select>
              <small id={`col-${i}-samples`}>{`Column ${c.letter}${c.samples.length > 0 ? `, e.g. ${c.samples.join(' · ')}` : ', empty in the first rows'}`}</small>
            </div>
          ))}
        </fieldset>
        <div class="field">
          <label for="f-onDuplicate">When a row matches an existing contact</label>
          <select id="f-onDuplicate" name="onDuplicate" {...hx}>
            <option value="skip" selected={d.onDuplicate === 'skip'}>Skip it (count it as a duplicate)</option>
            <option value="update" selected={d.onDuplicate === 'update'}>Fill the contact's empty fields</option>
          </select>
        </div>
        <DraftPreviewSection d={d} />
        <div class="actions">
          <button type="submit" formaction={previewUrl}>Update preview</button>
          <button type="submit">Start import</button>
          <button type="submit" formaction={`/console/imports/${d.id}/cancel`} formnovalidate>Cancel</button>
        </div>
      </form>
    </>
  )
}
