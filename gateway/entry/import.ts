import { parseConfig } from '../config.ts'
import { connectDeps } from '../connect.ts'
import { runImportCli } from '../imports/cli.ts'

const config = parseConfig({ LOG_LEVEL: 'warn', ...process.env })
const running = await connectDeps(config)
// The import is a job: this process takes it (with WORKERS=off, a running gateway's workers do).
if (config.workers) await running.startWorkers()
if (running.generatedAdminToken !== null) console.error(`Admin API token (shown once, keep it safe): ${running.generatedAdminToken}`)
const code = await runImportCli(process.argv.slice(2), running.deps, { out: (l) => console.log(l), err: (l) => console.error(l) })
await running.close()
process.exit(code)
