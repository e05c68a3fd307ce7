import { readdir, readFile } from 'node:fs/promises'

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on every Linux we run on). */
const TICKS_PER_SECOND = 100

/** A process's user + system CPU so far, in seconds; 0 once it is gone. */
export async function cpuSeconds(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8')
    // The name in parentheses may hold spaces: the fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return 0
  }
}

/**
 * CPU of the PostgreSQL processes on this machine that work for one database (its backends and autovacuum
 * workers, told by their process titles), by pid: another benchmark's database on the same server is not
 * counted, nor are the shared WAL writer and checkpointer. The difference of two readings is what the database's
 * processes spent in between (a backend that exits in between is lost; the gateway keeps its pool's connections).
 */
export async function postgresCpu(database: string): Promise<Map<number, number>> {
  const out = new Map<number, number>()
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const comm = await readFile(`/proc/${name}/comm`, 'utf8').catch(() => '')
    if (comm.trim() !== 'postgres') continue
    const title = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '')
    if (!title.split(/[\s\0]+/).includes(database)) continue
    out.set(Number(name), await cpuSeconds(Number(name)))
  }
  return out
}

export function cpuSpent(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0
  for (const [pid, seconds] of after) total += seconds - (before.get(pid) ?? 0)
  return total
}
