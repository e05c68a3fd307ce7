import { readFile } from 'node:fs/promises'

/**
 * A process's resident memory by kind of mapping (/proc/<pid>/smaps): the node binary and libraries, the main
 * malloc heap ([heap]), thread stacks, and anonymous mappings (V8's heap pages and the other malloc arenas),
 * in MB, largest first. For BENCH_SMAPS=1, to see which part of a peak is not the JavaScript heap.
 */
export async function residentByMapping(pid: number): Promise<[string, number][]> {
  const text = await readFile(`/proc/${pid}/smaps`, 'utf8').catch(() => '')
  const totals = new Map<string, number>()
  let current = ''
  for (const line of text.split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line)
    if (header !== null) {
      const name = header[1] ?? ''
      current = name === '' ? 'anonymous' : name.startsWith('/') ? name.split('/').at(-1) ?? name : name
      continue
    }
    const rss = /^Rss:\s+(\d+) kB/.exec(line)?.[1]
    if (rss !== undefined) totals.set(current, (totals.get(current) ?? 0) + Number(rss) / 1024)
  }
  return [...totals].map(([k, v]): [string, number] => [k, Math.round(v)]).filter(([, v]) => v > 0).sort((a, b) => b[1] - a[1])
}
