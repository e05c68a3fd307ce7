export type Delimiter = ',' | ';' | '\t' | '|'

const CANDIDATES: readonly Delimiter[] = [',', ';', '\t', '|']

/** Counts each candidate per line outside quotes, over the first few complete lines of the sample. */
function countsPerLine(sample: string, maxLines: number): Map<Delimiter, number[]> {
  const counts = new Map<Delimiter, number[]>(CANDIDATES.map((d) => [d, [0]]))
  let quoted = false
  let lines = 0
  for (let i = 0; i < sample.length && lines < maxLines; i++) {
    const ch = sample[i]!
    if (ch === '"') quoted = !quoted
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && sample[i + 1] === '\n') i++
      lines++
      for (const list of counts.values()) list.push(0)
    } else if (!quoted) {
      const list = counts.get(ch as Delimiter)
      if (list !== undefined) list[list.length - 1]! += 1
    }
  }
  // The last line may be cut off by the end of the sample; drop it unless it is the only one.
  for (const list of counts.values()) if (list.length > 1) list.pop()
  return counts
}

/**
 * Picks the delimiter that splits the header into the most columns and keeps that count steady over the
 * following lines (Excel writes `;` where the decimal separator is a comma, and tabs when "Unicode text").
 */
export function sniffDelimiter(sample: string): Delimiter {
  const counts = countsPerLine(sample, 50)
  let best: Delimiter = ','
  let bestScore = 0
  for (const d of CANDIDATES) {
    const list = counts.get(d) ?? []
    const header = list[0] ?? 0
    if (header === 0) continue
    const steady = list.filter((n) => n === header).length / list.length
    const score = header * steady
    if (score > bestScore) {
      best = d
      bestScore = score
    }
  }
  return best
}
