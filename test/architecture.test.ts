import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('..', import.meta.url).pathname
const PURE_PACKAGES = new Set(['libphonenumber-js', 'zod', 'whatsapp-cloud-api-types'])
const FORBIDDEN_GLOBALS = [/\bprocess\./, /\bDate\.now\(/, /\bMath\.random\(/, /\bfetch\(/, /\bnew Date\(\)/, /\bsetTimeout\(/, /\bconsole\./]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2]) as string)
}

describe('domain/ is pure', () => {
  const files = sourceFiles(join(ROOT, 'domain'))

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(5)
  })

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports only domain/ and pure libraries', (_name, file) => {
    const source = readFileSync(file, 'utf8')
    for (const spec of importsOf(source)) {
      if (spec.startsWith('.')) {
        const target = relative(join(ROOT, 'domain'), join(file, '..', spec))
        expect(target.startsWith('..'), `${spec} leaves domain/`).toBe(false)
      } else {
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec)
        expect(PURE_PACKAGES.has(pkg), `${spec} is not a pure library`).toBe(true)
      }
    }
    for (const pattern of FORBIDDEN_GLOBALS) expect(pattern.test(source), `uses ${pattern}`).toBe(false)
  })

  it('the checker notices an impure import', () => {
    expect(importsOf("import postgres from 'postgres'\nimport { x } from '../storage/db.ts'")).toEqual(['postgres', '../storage/db.ts'])
  })
})
