import { describe, expect, it } from 'vitest'
import { AppError } from '../../../gateway/actions/errors.ts'
import { FileTooLarge, NotText, UploadInterrupted } from '../../../gateway/imports/reader.ts'
import { fileError, refuseOversizedUpload, requestBodyBytes } from '../../../gateway/imports/upload.ts'

const MB = 1024 * 1024

describe('the one size check and translation of an upload', () => {
  it('refuses an announced size over the limit and its envelope, and lets an unannounced one stream', () => {
    expect(() => refuseOversizedUpload(2 * MB + 1, 2 * MB)).toThrow(new AppError('payload_too_large', 'The file is larger than the import limit of 2 MB (IMPORT_MAX_MB).'))
    expect(() => refuseOversizedUpload(2 * MB + 100, 2 * MB, 1000)).not.toThrow()
    expect(() => refuseOversizedUpload(null, 2 * MB)).not.toThrow()
    expect(() => refuseOversizedUpload(undefined, 2 * MB)).not.toThrow()
  })

  it('turns a file found too large or not text into the refusal every front door shows, and passes the rest', () => {
    expect(fileError(new FileTooLarge(3 * MB), 3 * MB)).toMatchObject({ code: 'payload_too_large', message: 'The file is larger than the import limit of 3 MB (IMPORT_MAX_MB).' })
    expect(fileError(new NotText('it is an Excel workbook'), MB)).toMatchObject({ code: 'unsupported_file', message: 'Nothing was imported: it is an Excel workbook.' })
    const interrupted = new UploadInterrupted(10, 'reset')
    expect(fileError(interrupted, MB)).toBe(interrupted)
  })
})

/** A request whose body hands out the given chunks on demand and then waits forever (a client that stalls), with its abort. */
function stallingRequest(chunks: Uint8Array[]): { request: Request; abort: (reason: string) => void } {
  const controller = new AbortController()
  let i = 0
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      const chunk = chunks[i++]
      if (chunk !== undefined) c.enqueue(chunk)
      else return new Promise(() => {})
    },
  })
  const request = new Request('http://gateway/v1/imports', { method: 'POST', body, signal: controller.signal, duplex: 'half' } as RequestInit)
  return { request, abort: (reason) => controller.abort(reason) }
}

describe('the body of an upload', () => {
  it('streams every chunk of a body that ends', async () => {
    const request = new Request('http://gateway/v1/imports', { method: 'POST', body: 'Phone\n+44 7400 555010\n' })
    const chunks: Uint8Array[] = []
    for await (const chunk of requestBodyBytes(request)) chunks.push(chunk)
    expect(Buffer.concat(chunks).toString()).toBe('Phone\n+44 7400 555010\n')
  })

  it('ends with UploadInterrupted, counting the bytes read, when the client goes away mid-upload', async () => {
    const { request, abort } = stallingRequest([new Uint8Array(3), new Uint8Array(4)])
    const read: number[] = []
    const reading = (async () => {
      for await (const chunk of requestBodyBytes(request)) {
        read.push(chunk.length)
        if (read.length === 2) setTimeout(() => abort('reset'), 10)
      }
    })()
    await expect(reading).rejects.toMatchObject({ bytesRead: 7 })
    await expect(reading).rejects.toBeInstanceOf(UploadInterrupted)
    expect(read).toEqual([3, 4])
  })
})
