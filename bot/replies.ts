import { HttpError, type Transformer } from 'grammy'
import type { JobData, JobQueue } from '../gateway/deps.ts'

// Replies whose parameters are plain JSON and whose answers the commands do not read back for anything but an edit.
const DEFERRABLE = new Set(['sendMessage', 'editMessageText', 'answerCallbackQuery'])

/** Telegram says to come back later: too many requests, or its own trouble. */
function isPassing(errorCode: number): boolean {
  return errorCode === 429 || errorCode >= 500
}

/** What the command reads from a reply that is on its way: a message with no id yet (an edit of it then fails alone). */
function placeholder(method: string, payload: Record<string, unknown>, now: Date): unknown {
  if (method !== 'sendMessage') return true
  return { message_id: 0, date: Math.floor(now.getTime() / 1000), chat: { id: payload.chat_id, type: 'private' }, text: payload.text }
}

/**
 * A reply the Bot API refuses for now or does not answer in time is not lost: it becomes a `bot-reply` job, sent
 * again with a backoff until Telegram takes it, and the command goes on as if it had been sent.
 */
export function deferFailedReplies(jobs: JobQueue, now: () => Date, onDeferred: (method: string, error: unknown) => void): Transformer {
  return async (prev, method, payload, signal) => {
    const later = async (error: unknown) => {
      await jobs.send('bot-reply', { method, payload: JSON.parse(JSON.stringify(payload)) as JobData['bot-reply']['payload'] })
      onDeferred(method, error)
      return { ok: true, result: placeholder(method, payload as Record<string, unknown>, now()) } as Awaited<ReturnType<typeof prev>>
    }
    if (!DEFERRABLE.has(method)) return prev(method, payload, signal)
    let answer: Awaited<ReturnType<typeof prev>>
    try {
      answer = await prev(method, payload, signal)
    } catch (error) {
      // No answer at all: the network failed or the call timed out (grammY's HttpError).
      if (error instanceof HttpError) return later(error)
      throw error
    }
    // grammY turns a refusal into a GrammyError after the transformers; here it is still the Bot API's answer.
    return !answer.ok && isPassing(answer.error_code) ? later(answer.description) : answer
  }
}
