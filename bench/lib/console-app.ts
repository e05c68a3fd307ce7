import { pino } from 'pino'
import { ensureAdminSignIn } from '../../gateway/actions/sign-in.ts'
import { createApp } from '../../gateway/app.ts'
import { parseConfig } from '../../gateway/config.ts'
import { buildDeps, ensureBootstrapAdmin } from '../../gateway/connect.ts'
import { readConsoleAssets } from '../../gateway/infra/console-assets.ts'
import type { Sql } from '../../storage/sql.ts'

const TOKEN = 'bench-admin-token-0123456789abcdef'
const ORIGIN = 'http://127.0.0.1'

export type Timed = { ms: number; body: string }
/** The whole app in-process, with a signed-in console session and an API token: GETs timed from request to body. */
export type BenchClient = { page(path: string): Promise<Timed>; api(path: string): Promise<Timed> }

export async function consoleClient(sql: Sql): Promise<BenchClient> {
  const config = parseConfig({ ADMIN_API_TOKEN: TOKEN, ADMIN_EMAIL: 'bench@example.com', ADMIN_PASSWORD: 'bench password 0123', LOG_LEVEL: 'silent', ADMIN_RATE_LIMIT_PER_MINUTE: '100000000' })
  const { deps } = buildDeps(config, sql, { logger: pino({ level: 'silent' }), consoleAssets: await readConsoleAssets() })
  await ensureBootstrapAdmin(deps)
  await ensureAdminSignIn(deps)
  const app = createApp(deps)
  const signIn = await app.request(`${ORIGIN}/console/sign-in`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN }, body: 'email=bench%40example.com&password=bench+password+0123',
  })
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  if (signIn.status !== 303 || cookie === '') throw new Error(`sign-in answered ${signIn.status}`)
  const time = async (path: string, headers: Record<string, string>): Promise<Timed> => {
    const started = performance.now()
    const res = await app.request(`${ORIGIN}${path}`, { headers })
    const body = await res.text()
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${body.slice(0, 200)}`)
    return { ms: performance.now() - started, body }
  }
  return {
    page: (path) => time(path, { cookie, 'hx-request': 'true' }),
    api: (path) => time(path, { authorization: `Bearer ${TOKEN}` }),
  }
}
