/**
 * What vCard 2.1 writes differently from 3.0 and 4.0, brought into their form before a property parser for
 * those versions reads the line (the Internet Mail Consortium's vCard 2.1 specification, 1996, §2).
 */

// 2.1 names an encoding bare (`;QUOTED-PRINTABLE`); every other bare parameter is a type (`TEL;CELL;PREF`).
const ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT'])

/**
 * A content line with 2.1's bare parameters named: `TEL;CELL;PREF:…` → `TEL;TYPE=CELL;TYPE=PREF:…`,
 * `;QUOTED-PRINTABLE` → `;ENCODING=QUOTED-PRINTABLE`. Quoted parameter values are left as they are; a line
 * without bare parameters comes back unchanged.
 */
export function nameBareParams(line: string): string {
  const params: string[] = []
  let i = line.search(/[;:]/)
  if (i < 0 || line[i] === ':') return line
  const name = line.slice(0, i)
  let changed = false
  while (i < line.length && line[i] === ';') {
    let j = i + 1
    let quoted = false
    while (j < line.length && (quoted || (line[j] !== ';' && line[j] !== ':'))) {
      if (line[j] === '"') quoted = !quoted
      j++
    }
    const param = line.slice(i + 1, j)
    if (param.trim() === '') changed = true
    else if (param.includes('=')) params.push(param)
    else {
      changed = true
      params.push(`${ENCODINGS.has(param.trim().toUpperCase()) ? 'ENCODING' : 'TYPE'}=${param.trim()}`)
    }
    i = j
  }
  if (!changed) return line
  return `${name}${params.map((p) => `;${p}`).join('')}${line.slice(i)}`
}

const HEX = /^[0-9A-Fa-f]{2}$/

/**
 * A quoted-printable value (RFC 2045 §6.7) as text in its charset: `=C3=BC` with CHARSET=UTF-8 is "ü". Soft line
 * breaks were joined when the card was split. Bytes that are not valid in the charset named (or UTF-8 when none
 * is) are read as Windows-1252, the charset of the old exports that leave it out.
 */
export function decodeQuotedPrintable(value: string, charset: string | undefined): string {
  const bytes: number[] = []
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    const hex = value.slice(i + 1, i + 3)
    if (ch === '=' && HEX.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else if (ch.charCodeAt(0) < 0x80) {
      bytes.push(ch.charCodeAt(0))
    } else {
      // Characters that should have been encoded (non-ASCII, from a lax writer) are kept as UTF-8.
      for (const b of new TextEncoder().encode(ch)) bytes.push(b)
    }
  }
  const data = Uint8Array.from(bytes)
  // An unknown charset label throws too: then UTF-8 is tried.
  for (const label of charset === undefined ? ['utf-8'] : [charset, 'utf-8']) {
    try {
      return new TextDecoder(label, { fatal: true }).decode(data)
    } catch {
      continue
    }
  }
  return new TextDecoder('windows-1252').decode(data)
}
