import { describe, expect, it } from 'vitest'
import { MAX_WEBHOOK_DEPTH, parseWebhookJson, TOO_DEEP } from '../../../domain/inbound/read.ts'

describe('parseWebhookJson', () => {
  it('replaces NUL characters in values and keys, at any depth, with U+FFFD', () => {
    expect(parseWebhookJson('{"a":"x\\u0000y","b":[{"c\\u0000":"\\u0000"}],"n":1,"t":true,"z":null}'))
      .toEqual({ a: 'x\uFFFDy', b: [{ 'c\uFFFD': '\uFFFD' }], n: 1, t: true, z: null })
  })

  it('leaves everything else as JSON.parse reads it, including an escaped backslash before u0000', () => {
    const text = '{"text":"caf\\u00e9 \\\\u0000 literal","list":[1,2.5,"s"]}'
    expect(parseWebhookJson(text)).toEqual(JSON.parse(text))
    expect((parseWebhookJson(text) as { text: string }).text).toBe('café \\u0000 literal')
  })

  it('throws on malformed JSON as JSON.parse does', () => {
    expect(() => parseWebhookJson('{"a":')).toThrow(SyntaxError)
  })

  it('cuts what is nested deeper than MAX_WEBHOOK_DEPTH, at any depth, and says how much', () => {
    const cuts: number[] = []
    const deep = `{"keep":1,"a":${'['.repeat(200_000)}${']'.repeat(200_000)},"b":${'['.repeat(MAX_WEBHOOK_DEPTH - 1)}${']'.repeat(MAX_WEBHOOK_DEPTH - 1)}}`
    const value = parseWebhookJson(deep, (n) => cuts.push(n)) as { keep: number; a: unknown; b: unknown }
    expect(value.keep).toBe(1)
    expect(JSON.stringify(value.a)).toContain(TOO_DEEP)
    expect(JSON.stringify(value.b)).not.toContain(TOO_DEEP)
    expect(cuts).toEqual([1])
    expect(parseWebhookJson('{"a":"[[[[{{{{"}', (n) => cuts.push(n))).toEqual({ a: '[[[[{{{{' })
    expect(cuts).toEqual([1])
  })
})
