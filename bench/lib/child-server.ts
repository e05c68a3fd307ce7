import { spawn, type ChildProcess } from 'node:child_process'
import { startScriptFlags } from '../../test/helpers/npm-start.ts'

const ROOT = new URL('../..', import.meta.url).pathname

/**
 * The flags every benchmarked server's node runs with: npm start's, then BENCH_NODE_ARGS. Coming after, a
 * BENCH_NODE_ARGS heap limit wins over the script's (V8 takes the last), and a preload written in TypeScript goes
 * through tsx: e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the servers under load, or
 * "--import ./bench/lib/memory-log.ts" (loaded before tsx, Node's own type stripping would add 45 MB of RSS).
 */
export const serverNodeArgs = [...startScriptFlags(), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter((a) => a !== '')]

/** Starts a server script in its own process (so the load generator does not share its event loop). */
export async function startServer(script: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [...serverNodeArgs, script], { cwd: ROOT, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start:\n${out}`)), 60_000)
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /Contact Gateway on (http:\/\/\S+)/.exec(out)
      if (m?.[1] !== undefined) { clearTimeout(timer); resolve(m[1]) }
    })
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}:\n${out}`)))
  })
  child.stdout?.resume()
  return { url, child, stop: () => new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM') }) }
}
