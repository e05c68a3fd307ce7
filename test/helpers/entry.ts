import { spawn } from 'node:child_process'

const ROOT = new URL('../..', import.meta.url).pathname

/** Runs an entry script (`gateway/entry/*.ts`) to its end as npm would, and collects what it printed. */
export function runEntry(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: ROOT, env })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
}
