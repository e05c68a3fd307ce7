import { describe, expect, it } from 'vitest'
import { AppError } from '../../../gateway/actions/errors.ts'
import { FileTooLarge, NotText, UploadInterrupted } from '../../../gateway/imports/reader.ts'
import { fileError, refuseOversizedUpload } from '../../../gateway/imports/upload.ts'

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
