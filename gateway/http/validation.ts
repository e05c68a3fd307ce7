import type { Hook } from '@hono/zod-openapi'
import type { AppEnv } from '../deps.ts'
import { AppError } from '../actions/errors.ts'

export type ZodLikeIssue = { path: PropertyKey[]; code: string; message: string; keys?: string[] }

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

/** A request that does not match its schema, naming each field and its problem: 422 for a body, 400 otherwise. */
export function invalidRequest(target: string, issues: ZodLikeIssue[]): AppError {
  const details = issuesToDetails(issues)
  const where = target === 'json' ? 'body' : target
  const first = details[0]
  const summary = first === undefined ? `Invalid request ${where}.` : `Invalid request ${where}: ${first.field} ${first.message}.`
  return new AppError(target === 'json' ? 'validation_failed' : 'malformed_request', summary, details)
}

/** Turns schema failures into the contract's error JSON (through app.onError). */
export const validationHook: Hook<unknown, AppEnv, string, unknown> = (result) => {
  if (!result.success) throw invalidRequest(result.target, result.error.issues as ZodLikeIssue[])
}
