import { AppError } from '../../actions/errors.ts'

export type Attempt<T> = { ok: true; value: T } | { ok: false; error: AppError }

/**
 * An action that says no by throwing an AppError (a name that is taken, a value out of range): the refusal as a
 * value for the page to show beside its field. Anything else is unexpected and goes on up.
 */
export async function attempt<T>(work: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await work() }
  } catch (error) {
    if (error instanceof AppError) return { ok: false, error }
    throw error
  }
}

export function sentence(message: string): string {
  const s = message.charAt(0).toUpperCase() + message.slice(1)
  return /[.!?]$/.test(s) ? s : `${s}.`
}

/** The first field error's reason as the action gave it ("is 60 characters long; …"), else the error's message. */
export function firstReason(error: AppError): string {
  const [first] = Object.values(fieldReasons(error))
  return first ?? error.message
}

function fieldReasons(error: AppError): Record<string, string> {
  const details = Array.isArray(error.details) ? (error.details as unknown[]) : []
  const out: Record<string, string> = {}
  for (const d of details) {
    if (typeof d !== 'object' || d === null) continue
    const { field, message } = d as { field?: unknown; message?: unknown }
    if (typeof field === 'string' && typeof message === 'string') out[field] = message
  }
  return out
}

/** A refusal's field errors (`details: [{field, message}]`) by field, as sentences; `fallback` takes the rest. */
export function messagesByField(error: AppError, fallback: string): Record<string, string> {
  const out = Object.fromEntries(Object.entries(fieldReasons(error)).map(([field, message]) => [field, sentence(message)]))
  if (Object.keys(out).length === 0) out[fallback] = sentence(error.message)
  return out
}
