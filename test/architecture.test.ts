import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('..', import.meta.url).pathname
const PURE_PACKAGES = new Set(['libphonenumber-js', 'zod', 'whatsapp-cloud-api-types'])
const FORBIDDEN_GLOBALS = [/\bprocess\./, /\bDate\.now\(/, /\bMath\.random\(/, /\bfetch\(/, /\bnew Date\(\)/, /\bsetTimeout\(/, /\bconsole\./]

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(path) ? [path] : []
  })
}

function importsOf(source: string): string[] {
  return [...source.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => (m[1] ?? m[2]) as string)
}

/** What a file imports, as paths from the project root (local files) or package names. */
function dependenciesOf(file: string): { local: string[]; packages: string[] } {
  const local: string[] = []
  const packages: string[] = []
  for (const spec of importsOf(readFileSync(file, 'utf8'))) {
    if (spec.startsWith('.')) local.push(relative(ROOT, join(file, '..', spec)))
    else packages.push(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec))
  }
  return { local, packages }
}

describe('domain/ is pure', () => {
  const files = sourceFiles(join(ROOT, 'domain'))

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(5)
  })

  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports only domain/ and pure libraries', (_name, file) => {
    const { local, packages } = dependenciesOf(file)
    for (const target of local) expect(target.startsWith('domain/'), `${target} leaves domain/`).toBe(true)
    for (const pkg of packages) expect(PURE_PACKAGES.has(pkg), `${pkg} is not a pure library`).toBe(true)
    const source = readFileSync(file, 'utf8')
    for (const pattern of FORBIDDEN_GLOBALS) expect(pattern.test(source), `uses ${pattern}`).toBe(false)
  })

  it('the checker notices an impure import', () => {
    expect(importsOf("import postgres from 'postgres'\nimport { x } from '../storage/db.ts'")).toEqual(['postgres', '../storage/db.ts'])
  })
})

// The arrows run one way: domain ← storage ← actions ← {http, bot, entry}. Each rule names a folder and the
// folders its files must never import; `app.ts` is the only file outside http/ that may import http/.
const NEVER: Array<{ from: string; forbidden: string[]; packages?: string[] }> = [
  { from: 'storage/', forbidden: ['gateway/', 'bot/'], packages: ['hono', '@hono/zod-openapi', 'grammy'] },
  { from: 'gateway/actions/', forbidden: ['gateway/http/', 'gateway/entry/', 'bot/', 'gateway/app.ts'], packages: ['hono', '@hono/zod-openapi', 'grammy'] },
  { from: 'gateway/imports/', forbidden: ['gateway/http/', 'gateway/entry/', 'bot/'], packages: ['hono', '@hono/zod-openapi', 'grammy'] },
  { from: 'gateway/clients/', forbidden: ['gateway/http/', 'gateway/entry/', 'gateway/actions/', 'bot/', 'storage/'], packages: ['hono', 'grammy'] },
  { from: 'gateway/infra/', forbidden: ['gateway/http/', 'gateway/entry/', 'gateway/actions/', 'bot/'], packages: ['grammy'] },
  { from: 'gateway/http/', forbidden: ['gateway/entry/', 'bot/bot.ts', 'bot/commands/'] },
  { from: 'bot/', forbidden: ['gateway/http/', 'gateway/entry/', 'gateway/infra/', 'gateway/clients/', 'gateway/app.ts'], packages: ['hono', '@hono/zod-openapi'] },
  { from: 'gateway/entry/', forbidden: ['gateway/http/', 'bot/'] },
  // Jobs are a door like http/ and the bot: handlers call actions (and the bot, for Telegram updates), never http/.
  { from: 'gateway/jobs/', forbidden: ['gateway/http/', 'gateway/entry/', 'gateway/app.ts'], packages: ['hono', '@hono/zod-openapi'] },
  { from: 'gateway/connect.ts', forbidden: ['gateway/http/', 'bot/'] },
  { from: 'gateway/deps.ts', forbidden: ['gateway/http/', 'bot/'] },
  { from: 'gateway/config.ts', forbidden: ['gateway/http/', 'bot/', 'storage/'] },
]

function filesUnder(prefix: string): string[] {
  const path = join(ROOT, prefix)
  return prefix.endsWith('/') ? sourceFiles(path) : [path]
}

describe('the arrows run one way', () => {
  for (const rule of NEVER) {
    const files = filesUnder(rule.from)
    it(`${rule.from} has files to check`, () => expect(files.length).toBeGreaterThan(0))
    it.each(files.map((f) => [relative(ROOT, f), f]))(`%s never imports ${rule.forbidden.join(', ')}`, (_name, file) => {
      const { local, packages } = dependenciesOf(file)
      for (const target of local) for (const bad of rule.forbidden) expect(target.startsWith(bad), `imports ${target}`).toBe(false)
      for (const pkg of packages) expect(rule.packages?.includes(pkg) ?? false, `imports ${pkg}`).toBe(false)
    })
  }

  // The bot is a front door like the API: it calls actions (and reads deps), never storage, the domain or the
  // import pipeline directly, so a rule it needs lives where the API and the console find it too.
  const BOT_MAY_IMPORT = ['bot/', 'gateway/actions/', 'gateway/deps.ts']
  it.each(filesUnder('bot/').map((f) => [relative(ROOT, f), f]))('%s imports only bot/, actions and deps', (_name, file) => {
    const outside = dependenciesOf(file).local.filter((target) => !BOT_MAY_IMPORT.some((allowed) => target.startsWith(allowed)))
    expect(outside).toEqual([])
  })

  it('the bot rule refuses a bot import of storage or the domain', () => {
    const allowed = (target: string) => BOT_MAY_IMPORT.some((a) => target.startsWith(a))
    expect(['storage/contacts.ts', 'domain/ids.ts', 'gateway/imports/upload.ts'].filter(allowed)).toEqual([])
    expect(['gateway/actions/vocabulary.ts', 'gateway/deps.ts', 'bot/format.ts'].every(allowed)).toBe(true)
  })

  it('only the entries see process.env', () => {
    const outside = ['gateway/', 'bot/', 'storage/'].flatMap(filesUnder).filter((f) => !relative(ROOT, f).startsWith('gateway/entry/'))
    const offenders = outside.filter((f) => /\bprocess\.env\b/.test(readFileSync(f, 'utf8'))).map((f) => relative(ROOT, f))
    expect(offenders).toEqual([])
  })

  it('the checker resolves a relative import to its folder', () => {
    expect(relative(ROOT, join(ROOT, 'gateway/actions/x.ts', '..', '../http/errors.ts'))).toBe('gateway/http/errors.ts')
  })
})
