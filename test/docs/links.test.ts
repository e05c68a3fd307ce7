import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = resolve(new URL('../..', import.meta.url).pathname)
const README_MAX_BYTES = 12 * 1024

/** README.md and every Markdown file under docs/, as paths from the repository root. */
function docFiles(): string[] {
  const walk = (dir: string): string[] => readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`
    return e.isDirectory() ? walk(path) : e.name.endsWith('.md') ? [path] : []
  })
  return ['README.md', ...walk('docs')]
}

const blank = (s: string) => s.replace(/[^\n]/g, ' ')

/**
 * The text with fenced code blocks, inline code spans and HTML comments blanked out (newlines kept, so that an
 * offset still tells the line). Inline code is looked for within a paragraph, as CommonMark does.
 */
function prose(text: string): string {
  let fence: { char: string; length: number } | null = null
  const lines = text.split('\n').map((line) => {
    const mark = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line)
    if (fence === null) {
      if (mark?.[1] === undefined || (mark[1][0] === '`' && (mark[2] ?? '').includes('`'))) return line
      fence = { char: mark[1][0] as string, length: mark[1].length }
      return ''
    }
    if (mark?.[1] !== undefined && mark[1][0] === fence.char && mark[1].length >= fence.length && (mark[2] ?? '').trim() === '') fence = null
    return ''
  })
  return lines.join('\n')
    .replace(/<!--[\s\S]*?-->/g, blank)
    .split(/(\n[ \t]*\n)/)
    .map((paragraph) => paragraph.replace(/(?<!`)(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, blank))
    .join('')
}

/** GitHub's anchor for a heading (github-slugger): lower case, punctuation but hyphens dropped, spaces to hyphens. */
function slug(heading: string): string {
  const plain = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/(\*\*|\*)(?=\S)([\s\S]*?\S)\1/g, '$2')
    .replace(/(?<![\p{L}\p{N}])(__|_)(?=\S)([\s\S]*?\S)\1(?![\p{L}\p{N}])/gu, '$2')
  return plain.trim().toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '').replace(/ /g, '-')
}

/** Every anchor a Markdown text offers: its headings' slugs (a repeated one gets -1, -2, …) and HTML ids. */
function anchorsOf(text: string): Set<string> {
  const lines = prose(text).split('\n')
  const headings: string[] = []
  lines.forEach((line, i) => {
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line)
    if (atx !== null) return void headings.push(atx[1] ?? '')
    const next = lines[i + 1] ?? ''
    const paragraphLine = line.trim() !== '' && !/^ {0,3}([-*+]\s|\d+[.)]\s|>|\||#)/.test(line) && (lines[i - 1] ?? '').trim() === ''
    if (paragraphLine && /^ {0,3}(=+|-+)[ \t]*$/.test(next)) headings.push(line.trim())
  })
  const occurrences = new Map<string, number>()
  const anchors = new Set<string>()
  for (const heading of headings) {
    const base = slug(heading)
    let result = base
    while (occurrences.has(result)) {
      const n = (occurrences.get(base) ?? 0) + 1
      occurrences.set(base, n)
      result = `${base}-${n}`
    }
    occurrences.set(result, 0)
    anchors.add(result)
  }
  for (const m of text.matchAll(/<[a-z][^>]*\s(?:id|name)="([^"]+)"/gi)) anchors.add(m[1] as string)
  return anchors
}

type Link = { target: string; line: number }

const INLINE = /!?\[((?:[^[\]\\]|\\.|\[(?:[^[\]\\]|\\.)*\])*)\]\(\s*(<[^<>\n]*>|[^\s()<>]*(?:\([^\s()]*\)[^\s()<>]*)*)(?:\s+(?:"[^"\n]*"|'[^'\n]*'|\([^()\n]*\)))?\s*\)/g
const DEFINITION = /^ {0,3}\[((?:[^[\]\\]|\\.)+)\]:[ \t]*(<[^<>\n]*>|\S+)/gm
const REFERENCE = /!?\[((?:[^[\]\\]|\\.|\[(?:[^[\]\\]|\\.)*\])*)\]\[((?:[^[\]\\]|\\.)*)\]/g
const label = (s: string) => s.trim().toLowerCase().replace(/\s+/g, ' ')

/** Inline links and images (an image inside a link's text too) and reference definitions; undefined references. */
function linksOf(text: string): { links: Link[]; undefinedReferences: Link[] } {
  const body = prose(text)
  const lineAt = (offset: number) => body.slice(0, offset).split('\n').length
  const links: Link[] = []
  const inline = (part: string, offset: number): void => {
    for (const m of part.matchAll(INLINE)) {
      links.push({ target: m[2] as string, line: lineAt(offset + m.index) })
      inline(m[1] as string, offset + m.index + 1 + (m[0].startsWith('!') ? 1 : 0))
    }
  }
  inline(body, 0)
  const defined = new Set<string>()
  for (const m of body.matchAll(DEFINITION)) {
    defined.add(label(m[1] as string))
    links.push({ target: m[2] as string, line: lineAt(m.index) })
  }
  const undefinedReferences = [...body.matchAll(REFERENCE)]
    .filter((m) => !defined.has(label((m[2] as string) === '' ? (m[1] as string) : (m[2] as string))))
    .map((m) => ({ target: m[0], line: lineAt(m.index) }))
  return { links, undefinedReferences }
}

/** What is wrong with a link from `from` (a path from the root), or null when it resolves inside the repository. */
function targetProblem(from: string, raw: string): string | null {
  const target = raw.startsWith('<') ? raw.slice(1, -1) : raw
  if (/^(https?:\/\/|mailto:)/i.test(target)) return null
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return 'not a file of the repository'
  const hash = target.indexOf('#')
  const pathPart = (hash === -1 ? target : target.slice(0, hash)).split('?')[0] as string
  let path: string
  let anchor: string | undefined
  try {
    path = decodeURIComponent(pathPart)
    anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1))
  } catch {
    return 'not a valid URL'
  }
  const absolute = path === '' ? join(ROOT, from) : path.startsWith('/') ? join(ROOT, path) : resolve(ROOT, dirname(from), path)
  const inRepo = relative(ROOT, absolute)
  if (inRepo.startsWith('..') || isAbsolute(inRepo)) return 'leaves the repository'
  if (!existsSync(absolute)) return 'no such file or directory'
  if (anchor === undefined || anchor === '') return null
  if (statSync(absolute).isDirectory()) return 'an anchor on a directory'
  if (!absolute.endsWith('.md')) return /^L\d+(-L\d+)?$/.test(anchor) ? null : `no anchor #${anchor} in a file that is not Markdown`
  return anchorsOf(readFileSync(absolute, 'utf8')).has(anchor) ? null : `no heading in ${inRepo} has the anchor #${anchor}`
}

function problemsOf(from: string, text: string): string[] {
  const { links, undefinedReferences } = linksOf(text)
  return [
    ...links.flatMap((l) => {
      const problem = targetProblem(from, l.target)
      return problem === null ? [] : [`${from}:${l.line}: (${l.target}): ${problem}`]
    }),
    ...undefinedReferences.map((r) => `${from}:${r.line}: ${r.target}: no definition of this reference`),
  ]
}

describe('the link checker', () => {
  it('finds links and images, nested ones and references, but none in code', () => {
    const text = [
      '[a](docs/one.md) and ![b](<docs/two three.png> "title") and [![c](img.png)](target.md)',
      'Inline `[d](code.md)` and ``[e](`code`.md)`` are code.',
      '```sh',
      '[f](fenced.md)',
      '```',
      '[g][ref] [h][]',
      '[ref]: docs/ref.md',
    ].join('\n')
    const { links, undefinedReferences } = linksOf(text)
    expect(links.map((l) => [l.target, l.line])).toEqual([
      ['docs/one.md', 1], ['<docs/two three.png>', 1], ['target.md', 1], ['img.png', 1], ['docs/ref.md', 7],
    ])
    expect(undefinedReferences.map((r) => r.target)).toEqual(['[h][]'])
  })

  it('refuses a missing file, a way out of the repository, an unknown anchor and other schemes', () => {
    expect(targetProblem('README.md', 'docs/no-such-file.md')).toBe('no such file or directory')
    expect(targetProblem('docs/api.md', '../../outside.md')).toBe('leaves the repository')
    expect(targetProblem('README.md', '../shared/STYLE.md')).toBe('leaves the repository')
    expect(targetProblem('README.md', '#no-such-heading-anywhere')).toMatch(/^no heading in README.md/)
    expect(targetProblem('README.md', 'file:///etc/passwd')).toBe('not a file of the repository')
    expect(targetProblem('README.md', 'package.json#top')).toMatch(/not Markdown/)
    expect(targetProblem('README.md', 'package.json')).toBeNull()
    expect(targetProblem('README.md', 'https://example.com/x')).toBeNull()
  })

  it('makes anchors as GitHub does', () => {
    expect(slug('Quick start')).toBe('quick-start')
    expect(slug('Labels, custom fields and lists')).toBe('labels-custom-fields-and-lists')
    expect(slug('`GET /v1/contacts` and **bold**')).toBe('get-v1contacts-and-bold')
    expect(slug('snake_case_name — Ünïcode!')).toBe('snake_case_name--ünïcode')
    expect([...anchorsOf('# Top\n## Part\n## Part\ntext\n## Part-1\n\nSetext\n---\n```\n# not a heading\n```\n')])
      .toEqual(['top', 'part', 'part-1', 'part-1-1', 'setext'])
  })
})

describe('README and docs/', () => {
  const files = docFiles()

  it('link only to files and headings inside the repository', () => {
    const problems = files.flatMap((f) => problemsOf(f, readFileSync(join(ROOT, f), 'utf8')))
    expect(problems).toEqual([])
  })

  it(`keep the README at most ${README_MAX_BYTES} bytes, with the quick start and the test command`, () => {
    const readme = readFileSync(join(ROOT, 'README.md'))
    expect(readme.byteLength).toBeLessThanOrEqual(README_MAX_BYTES)
    const code = [...readme.toString('utf8').matchAll(/^```[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]).join('\n')
    expect(code).toContain('npm install && npm start')
    expect(code).toMatch(/^npm test\b/m)
  })

  it('name every environment variable gateway/config.ts reads, in the README or docs/operations.md', () => {
    const config = readFileSync(join(ROOT, 'gateway/config.ts'), 'utf8')
    const variables = [...config.matchAll(/^ {2}([A-Z][A-Z0-9_]+): z\./gm)].map((m) => m[1] as string)
    expect(variables.length).toBeGreaterThan(30)
    const documented = readFileSync(join(ROOT, 'README.md'), 'utf8') + readFileSync(join(ROOT, 'docs/operations.md'), 'utf8')
    expect(variables.filter((v) => !documented.includes(`\`${v}\``))).toEqual([])
  })

  it('mention no file outside the repository', () => {
    for (const f of files) {
      const text = readFileSync(join(ROOT, f), 'utf8')
      expect(text, f).not.toContain('shared/CONTRACT.md')
      expect(text, f).not.toMatch(/CONTRACT\.md|\.\.\/shared\//)
    }
  })
})
