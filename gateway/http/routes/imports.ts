import { Readable } from 'node:stream'
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi'
import busboy from 'busboy'
import type { Context } from 'hono'
import { getImport, listImports, type ImportRecord } from '../../../storage/imports/history.ts'
import type { User } from '../../../storage/users.ts'
import type { Mapping } from '../../../domain/csv/columns.ts'
import { cancelDraft, createDraft, startDraft } from '../../actions/import-drafts.ts'
import { requireBackgroundJobs, startFileImport, type FileImportInput } from '../../actions/imports.ts'
import { decodeCursor, encodeCursor, idOrNotFound } from '../cursor.ts'
import type { AppEnv } from '../../deps.ts'
import { AppError } from '../../actions/errors.ts'
import { UploadInterrupted } from '../../imports/reader.ts'
import { failuresAsCsv, failuresAsJson, textBytes } from '../../imports/failures.ts'
import { spoolUpload } from '../../imports/spool.ts'
import { fileError, MULTIPART_SLACK_BYTES, refuseOversizedUpload, requestBodyBytes } from '../../imports/upload.ts'
import { errorResponses, ErrorSchema, IdParam, jsonContent } from '../schemas.ts'
import { invalidRequest, validationHook } from '../validation.ts'

const security = [{ Bearer: [] }]

const ImportSchema = z
  .object({
    id: z.string(), source: z.enum(['file', 'hubspot', 'zoho']), fileName: z.string().nullable(), ownerId: z.string().nullable(),
    onDuplicate: z.enum(['skip', 'update']), status: z.enum(['draft', 'in_progress', 'completed', 'failed']), failureReason: z.string().nullable(),
    createdAt: z.string(), finishedAt: z.string().nullable(),
    totalRows: z.number().int().openapi({ description: 'Rows read so far; = imported + updated + duplicates + failed at every moment' }),
    processedRows: z.number().int(), imported: z.number().int(), updated: z.number().int(), duplicates: z.number().int(), failed: z.number().int(),
    warnings: z.number().int().openapi({ description: 'Imported or updated rows that lost a value that could not be read (listed in /failures as kind "warning")' }),
    ignoredColumns: z.array(z.string()).openapi({ description: 'The first 100 columns that feed nothing' }),
    ignoredColumnCount: z.number().int().openapi({ description: 'How many columns feed nothing' }), encoding: z.string().nullable(), delimiter: z.string().nullable(),
    bytesRead: z.number().int(), bytesTotal: z.number().int().nullable(),
  })
  .openapi('Import')

const ImportRowSchema = z
  .object({
    row: z.number().int().openapi({ description: 'Row number as a spreadsheet shows it (the header is row 1); in a vCard file, the card\'s number from 1' }),
    kind: z.enum(['failed', 'duplicate', 'warning']), reason: z.string(),
    data: z.record(z.string(), z.string()).openapi({ description: 'The row as read, by column header' }),
    duplicateOf: z.string().nullable().optional(),
  })
  .openapi('ImportFailure')

const ImportQuery = z.object({
  onDuplicate: z.enum(['skip', 'update']).default('skip'),
  fileName: z.string().max(255).optional(),
  draft: z.enum(['true', 'false']).optional().openapi({ description: 'true: read and preview the file, import nothing until POST /v1/imports/{id}/start' }),
  mapping: z.string().max(100_000).optional().openapi({ description: 'URL-encoded JSON {"<header>": "<field>" | null} over the automatic column matching' }),
  labels: z.string().max(2000).optional().openapi({ description: 'Label names given to every contact the import creates or updates (split on , ; or :::)' }),
  listId: z.string().max(100).optional().openapi({ description: 'A contact list every contact the file names joins, new or already there' }),
})

const MappingSchema = z.record(z.string(), z.string().nullable())

/** `{"<header>": "<field>"|null}` as sent in ?mapping= or the multipart field; the fields are checked against the file later. */
function parseMapping(text: string | undefined): Mapping | undefined {
  if (text === undefined || text.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new AppError('invalid_mapping', 'The mapping is not JSON; send {"<header>": "<field>" | null}.')
  }
  const parsed = MappingSchema.safeParse(value)
  if (!parsed.success) throw new AppError('invalid_mapping', 'The mapping must be an object of {"<header>": "<field>" | null}.')
  return parsed.data
}

const DraftSchema = z.object({
  id: z.string(), status: z.literal('draft'), fileName: z.string().nullable(), encoding: z.string(), delimiter: z.string(), onDuplicate: z.enum(['skip', 'update']),
  columns: z.array(z.object({ header: z.string(), letter: z.string(), field: z.string().nullable(), samples: z.array(z.string()) })),
  preview: z.object({
    rows: z.number().int(), imported: z.number().int(), updated: z.number().int(), duplicates: z.number().int(), failed: z.number().int(), warnings: z.number().int(),
    failures: z.array(z.object({ row: z.number().int(), kind: z.enum(['failed', 'duplicate', 'warning']), reason: z.string(), data: z.record(z.string(), z.string()) })),
  }),
  problem: z.string().nullable(),
}).openapi('ImportDraft')

function importJson(i: ImportRecord) {
  return { ...i, processedRows: i.totalRows }
}

/** Agents see their own imports; admins see everyone's. */
async function visibleImport(c: Context<AppEnv>, id: string) {
  const found = await getImport(c.var.deps.sql, idOrNotFound(id, 'No such import.'))
  if (found === null || (c.var.user.role !== 'admin' && found.ownerId !== c.var.user.id)) throw new AppError('not_found', 'No such import.')
  return found
}

type Upload = Pick<FileImportInput, 'bytes' | 'fileName' | 'contentType'> & { mapping?: string | undefined; labels?: string | undefined; listId?: string | undefined }

/** The `file` field of a multipart body as a stream; nothing is buffered beyond busboy's chunks. */
function multipartFile(c: Context<AppEnv>, maxBytes: number): Promise<Upload> {
  if (c.req.raw.body === null) throw new AppError('empty_file', 'The request has no body.')
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: { 'content-type': c.req.header('content-type') ?? '' }, limits: { fileSize: maxBytes + 1, files: 5, fields: 20 } })
    } catch (error) {
      reject(new AppError('malformed_request', `The multipart body cannot be read: ${error instanceof Error ? error.message : String(error)}.`))
      return
    }
    let found = false
    let file: Readable | null = null
    // Fields sent before the file (a form sends them in order) come with it.
    const fields: { mapping?: string; labels?: string; listId?: string } = {}
    parser.on('field', (name, value) => {
      if (name === 'mapping' || name === 'labels' || name === 'listId') fields[name] = value
    })
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || found) {
        stream.resume()
        return
      }
      found = true
      file = stream
      resolve({ bytes: stream, fileName: info.filename ?? null, contentType: info.mimeType, ...fields })
    })
    parser.on('error', (error: Error) => {
      if (!found) reject(new AppError('malformed_request', `The multipart body cannot be read: ${error.message}.`))
    })
    parser.on('close', () => {
      if (!found) reject(new AppError('malformed_request', 'The multipart body has no field named "file".'))
    })
    const source = Readable.from(requestBodyBytes(c.req.raw))
    // A broken-off upload must reach the file stream, or whoever reads it would wait forever.
    source.once('error', (error) => {
      file?.destroy(error)
      if (!found) reject(new AppError('malformed_request', `The upload ended before the whole file arrived: ${error.message}.`))
    })
    source.pipe(parser)
  })
}

function upload(c: Context<AppEnv>, fileName: string | undefined): Promise<Upload> | Upload {
  const contentType = (c.req.header('content-type') ?? '').toLowerCase()
  if (contentType.startsWith('application/json')) {
    throw new AppError('malformed_request', 'Send the CSV or vCard file itself as the body (Content-Type: text/csv or text/vcard) or as multipart field "file".')
  }
  const limit = c.var.deps.config.limits.importBytes
  const multipart = contentType.startsWith('multipart/form-data')
  // Refused before a byte is read when the announced size cannot fit; the multipart envelope adds a little.
  refuseOversizedUpload(Number(c.req.header('content-length') ?? 0), limit, multipart ? MULTIPART_SLACK_BYTES : 0)
  return multipart ? multipartFile(c, limit) : { bytes: requestBodyBytes(c.req.raw), fileName: fileName ?? null, contentType }
}

export function importRoutes() {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })

  // Documented by hand and handled by a plain route: a declared multipart body would make the validator buffer
  // the whole upload, and the file must stream.
  app.openAPIRegistry.registerPath(createRoute({
    method: 'post', path: '/v1/imports', tags: ['imports'], security,
    summary: 'Import contacts from a CSV or vCard file (raw text/csv or text/vcard body, or multipart field "file"); runs on after the answer',
    request: {
      query: ImportQuery,
      body: {
        content: {
          'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
          // vCard 2.1, 3.0 or 4.0 (also told by a .vcf name or a first line BEGIN:VCARD): each card is a row.
          'text/vcard': { schema: z.string().openapi({ format: 'binary' }) },
          'multipart/form-data': { schema: z.object({ file: z.string().openapi({ format: 'binary' }) }) },
        },
        required: true,
      },
    },
    responses: {
      201: jsonContent(DraftSchema, 'With ?draft=true: the draft, its suggested mapping and a preview of the first 1,000 rows'),
      202: jsonContent(z.object({ id: z.string(), status: z.literal('in_progress') }), 'Accepted; follow it at /v1/imports/{id}'),
      400: jsonContent(ErrorSchema, 'Empty file or malformed body'),
      413: jsonContent(ErrorSchema, 'Larger than IMPORT_MAX_MB'),
      415: jsonContent(ErrorSchema, 'Not a text file (Excel, PDF, an image, an archive)'),
      422: jsonContent(ErrorSchema, 'No phone or email column, more than 1,000 columns, or a mapping naming an unknown field or column'),
      401: errorResponses[401],
    },
  }))
  app.post('/v1/imports', async (c) => {
    requireBackgroundJobs(c.var.deps)
    const query = ImportQuery.safeParse(c.req.query())
    if (!query.success) throw invalidRequest('query', query.error.issues)
    const file = await upload(c, query.data.fileName)
    const { deps } = c.var
    // The runner is held while the file arrives, so that another process starting meanwhile leaves the file alone.
    const release = await deps.importRunner.begin()
    try {
      const spooled = await spoolUpload(file.bytes, deps.config.limits.importBytes, deps.config.spoolDir, deps.importRunner.id).catch((error: unknown) => {
        // The body broke off: the request's fault, not the file's.
        if (error instanceof UploadInterrupted) throw new AppError('malformed_request', `The upload ended before the whole file arrived: ${error.message}.`)
        throw fileError(error, deps.config.limits.importBytes)
      })
      const mapping = parseMapping(file.mapping ?? query.data.mapping)
      const options = { labels: file.labels ?? query.data.labels, listId: file.listId ?? query.data.listId }
      if (query.data.draft === 'true') {
        const draft = await createDraft(deps, {
          keep: (path) => spooled.moveTo(path), size: spooled.size, fileName: file.fileName, contentType: file.contentType, ownerId: c.var.user.id, onDuplicate: query.data.onDuplicate, mapping, options,
        })
        return c.json(draft, 201, { Location: `/v1/imports/${draft.id}` })
      }
      const bytes = await spooled.read()
      try {
        const started = await startFileImport(deps, {
          bytes, fileName: file.fileName, contentType: file.contentType, bytesTotal: spooled.size, ownerId: c.var.user.id, onDuplicate: query.data.onDuplicate, mapping, options,
        })
        return c.json({ id: started.id, status: 'in_progress' as const }, 202, { Location: `/v1/imports/${started.id}` })
      } catch (error) {
        bytes.destroy()
        throw error
      }
    } finally {
      await release()
    }
  })

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/imports', tags: ['imports'], security, summary: 'Import history, newest first (agents see their own)',
      request: { query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100), cursor: z.string().max(300).optional() }) },
      responses: { 200: jsonContent(z.array(ImportSchema), 'Imports; a Link header with rel="next" points to older ones'), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor } = c.req.valid('query')
      const user: User = c.var.user
      const page = await listImports(c.var.deps.sql, limit, decodeCursor(cursor), user.role === 'admin' ? null : user.id)
      const next = encodeCursor(page.next)
      const headers: Record<string, string> = next === null ? {} : { Link: `</v1/imports?limit=${limit}&cursor=${next}>; rel="next"` }
      return c.json(page.items.map(importJson), 200, headers)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/imports/{id}', tags: ['imports'], security, request: { params: IdParam },
      responses: { 200: jsonContent(ImportSchema, 'The import and its progress'), 404: jsonContent(ErrorSchema, 'No such import'), ...errorResponses },
    }),
    async (c) => {
      const { headers: _headers, ...found } = await visibleImport(c, c.req.valid('param').id)
      return c.json(importJson(found), 200)
    },
  )

  app.openapi(
    createRoute({
      method: 'post', path: '/v1/imports/{id}/start', tags: ['imports'], security, summary: 'Start a draft with the mapping confirmed (or the suggestion)',
      request: {
        params: IdParam,
        body: { content: { 'application/json': { schema: z.object({
          mapping: MappingSchema.optional(), onDuplicate: z.enum(['skip', 'update']).optional(),
          labels: z.array(z.string().max(200)).max(50).optional(), listId: z.string().max(100).optional(),
        }) } }, required: false },
      },
      responses: {
        202: jsonContent(z.object({ id: z.string(), status: z.literal('in_progress') }), 'Started; follow it at /v1/imports/{id}'),
        404: jsonContent(ErrorSchema, 'No such import'),
        409: jsonContent(ErrorSchema, 'Not a draft (started already)'),
        ...errorResponses,
        422: jsonContent(ErrorSchema, 'A mapping naming an unknown field or column, or no phone or email column'),
      },
    }),
    async (c) => {
      const id = idOrNotFound(c.req.valid('param').id, 'No such import.')
      const body: { mapping?: Mapping | undefined; onDuplicate?: 'skip' | 'update' | undefined; labels?: string[] | undefined; listId?: string | undefined } = c.req.valid('json') ?? {}
      const options = body.labels === undefined && body.listId === undefined ? undefined : { labels: body.labels, listId: body.listId }
      const started = await startDraft(c.var.deps, c.var.user, id, { mapping: body.mapping, onDuplicate: body.onDuplicate, options })
      return c.json({ id: started.id, status: 'in_progress' as const }, 202, { Location: `/v1/imports/${started.id}` })
    },
  )

  app.openapi(
    createRoute({
      method: 'delete', path: '/v1/imports/{id}', tags: ['imports'], security, summary: 'Cancel a draft: it and its file are deleted',
      request: { params: IdParam },
      responses: { 204: { description: 'Deleted' }, 404: jsonContent(ErrorSchema, 'No such import'), 409: jsonContent(ErrorSchema, 'Not a draft'), ...errorResponses },
    }),
    async (c) => {
      await cancelDraft(c.var.deps, c.var.user, idOrNotFound(c.req.valid('param').id, 'No such import.'))
      return c.body(null, 204)
    },
  )

  app.openapi(
    createRoute({
      method: 'get', path: '/v1/imports/{id}/failures', tags: ['imports'], security,
      summary: 'The rows that were not imported, with why; ?format=csv gives them back as a spreadsheet-safe CSV',
      request: { params: IdParam, query: z.object({ format: z.enum(['json', 'csv']).default('json') }) },
      responses: {
        200: { content: { 'application/json': { schema: z.array(ImportRowSchema) }, 'text/csv': { schema: z.string() } }, description: 'Failed and duplicate rows in file order' },
        404: jsonContent(ErrorSchema, 'No such import'),
        ...errorResponses,
      },
    }),
    async (c) => {
      const found = await visibleImport(c, c.req.valid('param').id)
      const wantsCsv = c.req.valid('query').format === 'csv' || (c.req.header('accept') ?? '').includes('text/csv')
      if (wantsCsv) {
        const name = (found.fileName ?? 'import').replace(/\.(csv|vcf)$/i, '').replace(/[^\w.-]+/g, '_')
        return c.body(textBytes(failuresAsCsv(c.var.deps.sql, found.id, found.headers)), 200, {
          'Content-Type': 'text/csv; charset=utf-8',
          'Content-Disposition': `attachment; filename="${name}-failures.csv"`,
        })
      }
      return c.body(textBytes(failuresAsJson(c.var.deps.sql, found.id, found.headers)), 200, { 'Content-Type': 'application/json' })
    },
  )
  return app
}
