import { readFile } from 'node:fs/promises'

/** A process's peak resident set so far (VmHWM), in bytes; 0 once it is gone. */
export async function peakRss(pid: number): Promise<number> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1]
    return kb === undefined ? 0 : Number(kb) * 1024
  } catch {
    return 0
  }
}
