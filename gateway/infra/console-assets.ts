import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

/** The scripts the console serves itself (never from a CDN): read from node_modules on Node, bundled on Workers. */
export type ConsoleAssets = { htmx: string }

export async function readConsoleAssets(): Promise<ConsoleAssets> {
  return { htmx: await readFile(fileURLToPath(import.meta.resolve('htmx.org/dist/htmx.min.js')), 'utf8') }
}
