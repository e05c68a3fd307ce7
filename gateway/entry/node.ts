import { serve } from '@hono/node-server'
import { getConnInfo } from '@hono/node-server/conninfo'
import { createApp } from '../app.ts'
import { parseConfig } from '../config.ts'
import { connectDeps } from '../connect.ts'
import { clearStaleUploads } from '../imports/spool.ts'

const config = parseConfig(process.env)
const running = await connectDeps(config, { clientAddress: (c) => getConnInfo(c).remote.address ?? 'unknown' })
const cleared = await clearStaleUploads(config.spoolDir, running.deps.importRunner)
if (cleared > 0) running.deps.logger.warn({ cleared, dir: config.spoolDir }, 'uploads cut off by a previous stop were removed')
if (config.workers) await running.startWorkers()
const where = config.databaseUrl === undefined ? `embedded PostgreSQL in ${config.dataDir}` : 'PostgreSQL at DATABASE_URL'
const server = serve({ fetch: createApp(running.deps).fetch, port: config.port, hostname: config.host }, (info) => {
  console.log(`Contact Gateway on http://${config.host}:${info.port} (${where})`)
  if (running.generatedAdminToken !== null) console.log(`Admin API token (shown once, keep it safe): ${running.generatedAdminToken}`)
  const consoleUrl = `http://${config.host}:${info.port}/console`
  if (running.adminSetupCode !== null) console.log(`Console setup link (one-time, valid 24 h; choose the admin's email and password): ${consoleUrl}/setup?code=${running.adminSetupCode}`)
  else console.log(`Console: ${consoleUrl} (sign in with the admin's email and password)`)
})
const SHUTDOWN_GRACE_MS = 5000 // then uploads still streaming in are cut off
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    setTimeout(() => 'closeAllConnections' in server && server.closeAllConnections(), SHUTDOWN_GRACE_MS).unref()
    server.close(() => void running.close().then(() => process.exit(0)))
  })
}
