import type { Context } from 'grammy'
import type { Deps } from '../gateway/deps.ts'
import type { User } from '../gateway/actions/vocabulary.ts'

/** Every update the bot obeys carries the user who sent it and the same deps as an API request. */
export type BotContext = Context & { actor: User; deps: Deps }
