type Decoder = InstanceType<typeof TextDecoder>

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252'

/**
 * Bytes → text for files of unknown origin, chunk by chunk. A BOM decides (UTF-8, UTF-16 LE/BE); otherwise the
 * bytes are read as UTF-8 until they stop being valid UTF-8. If nothing but ASCII came before, the file is an
 * old single-byte export and everything is read as Windows-1252 (identical to UTF-8 on ASCII, so nothing
 * already decoded changes). If real UTF-8 came first, the file is mixed and the bad bytes become U+FFFD.
 */
export class CsvDecoder {
  #decoder: Decoder | null = null
  #encoding: CsvEncoding = 'utf-8'
  #head: Uint8Array = new Uint8Array(0)
  #asciiSoFar = true
  #mixed = false

  get encoding(): CsvEncoding {
    return this.#encoding
  }

  /** Whether invalid UTF-8 followed valid non-ASCII UTF-8, so some characters were replaced. */
  get replacedInvalidBytes(): boolean {
    return this.#mixed
  }

  decode(chunk: Uint8Array): string {
    if (this.#decoder === null) {
      // A BOM is at most 3 bytes; wait until there are enough to tell.
      const head = concat(this.#head, chunk)
      if (head.length < 3) {
        this.#head = head
        return ''
      }
      this.#head = new Uint8Array(0)
      return this.#start(head)
    }
    return this.#next(chunk, false)
  }

  end(): string {
    if (this.#decoder === null) {
      const head = this.#head
      this.#head = new Uint8Array(0)
      return this.#start(head) + this.#next(new Uint8Array(0), true)
    }
    return this.#next(new Uint8Array(0), true)
  }

  #start(head: Uint8Array): string {
    let body = head
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      body = head.subarray(3)
    } else if (head[0] === 0xff && head[1] === 0xfe) {
      this.#encoding = 'utf-16le'
      body = head.subarray(2)
    } else if (head[0] === 0xfe && head[1] === 0xff) {
      this.#encoding = 'utf-16be'
      body = head.subarray(2)
    }
    this.#decoder = new TextDecoder(this.#encoding, { fatal: this.#encoding === 'utf-8', ignoreBOM: true })
    return this.#next(body, false)
  }

  #next(chunk: Uint8Array, last: boolean): string {
    const decoder = this.#decoder as Decoder
    try {
      const text = decoder.decode(chunk, { stream: !last })
      if (this.#asciiSoFar && this.#encoding === 'utf-8' && !isAscii(chunk)) this.#asciiSoFar = false
      return text
    } catch {
      if (this.#asciiSoFar) this.#encoding = 'windows-1252'
      else this.#mixed = true
      this.#decoder = new TextDecoder(this.#encoding, { fatal: false, ignoreBOM: true })
      return this.#decoder.decode(chunk, { stream: !last })
    }
  }
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! > 0x7f) return false
  return true
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}
