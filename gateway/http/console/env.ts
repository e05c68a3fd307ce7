import type { Deps } from '../../deps.ts'
import type { User } from '../../../storage/users.ts'
import type { AssetPaths } from './assets.ts'

/** What every console handler has: the deps, the asset paths and, behind sign-in, the user and their session. */
export type ConsoleEnv = { Variables: { deps: Deps; assets: AssetPaths; user: User; sessionToken: string } }
