import type { Hook } from '@hono/zod-openapi'
import type { AppEnv } from './deps.ts'
import { errorBody } from './errors.ts'

type ZodLikeIssue = { path: PropertyKey[]; code: string; message: string; keys?: string[] }

/** "address.country", "otherMobiles[1]": the same field paths the domain uses in its errors. */
export function fieldPath(path: PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc === '' ? String(key) : `${acc}.${String(key)}`), '')
}

export function issuesToDetails(issues: ZodLikeIssue[]) {
  return issues.flatMap((i) =>
    i.code === 'unrecognized_keys' && i.keys !== undefined
      ? i.keys.map((k) => ({ field: fieldPath([...i.path, k]), code: 'unknown_field', message: 'is not a known field' }))
      : [{ field: fieldPath(i.path) || '(body)', code: i.code, message: i.message }],
  )
}

/** Turns schema failures into the contract's error JSON, naming each field and its problem. */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result, c) => {
  if (result.success) return
  const details = issuesToDetails(result.error.issues as ZodLikeIssue[])
  const where = result.target === 'json' ? 'body' : result.target
  const status = result.target === 'json' ? 422 : 400
  const first = details[0]
  const summary = first === undefined ? `Invalid request ${where}.` : `Invalid request ${where}: ${first.field} ${first.message}.`
  return c.json(errorBody(status === 422 ? 'validation_failed' : 'malformed_request', summary, details), status)
}
