import { readFile } from 'node:fs/promises'

async function statusBytes(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+) kB`).exec(await readFile(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb === undefined ? 0 : Number(kb) * 1024
  } catch {
    return 0
  }
}

/**
 * A process's peak resident set so far (VmHWM, the kernel's high-water mark), in bytes; 0 once it is gone. The
 * mark only rises, so one reading after the work, while the process lives, is the work's peak: no polling needed.
 */
export const peakRss = (pid: number): Promise<number> => statusBytes(pid, 'VmHWM')

/** A process's resident set now (VmRSS), in bytes; 0 once it is gone. */
export const currentRss = (pid: number): Promise<number> => statusBytes(pid, 'VmRSS')
