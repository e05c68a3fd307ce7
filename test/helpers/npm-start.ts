import { readFileSync } from 'node:fs'

const ROOT = new URL('../..', import.meta.url).pathname

/**
 * The node flags of `npm start`, read from package.json's start script (`node <flags> gateway/entry/node.ts`), with
 * `--import tsx` among them: the one place the gateway's heap limits are set, so that a benchmarked or tested
 * gateway runs under the same limits as the process people start.
 */
export function startScriptFlags(): string[] {
  const start = (JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> }).scripts.start ?? ''
  const words = start.trim().split(/\s+/)
  if (words[0] !== 'node' || words.at(-1) !== 'gateway/entry/node.ts' || !words.includes('tsx')) {
    throw new Error(`package.json's start script is no longer "node <flags> --import tsx gateway/entry/node.ts": ${start}`)
  }
  return words.slice(1, -1)
}
