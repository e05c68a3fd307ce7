import { parseConfig } from '../config.ts'
import { connectDeps } from '../connect.ts'
import { runImportCli } from '../imports/cli.ts'

const running = await connectDeps(parseConfig({ LOG_LEVEL: 'warn', ...process.env }))
if (running.generatedAdminToken !== null) console.error(`Admin API token (shown once, keep it safe): ${running.generatedAdminToken}`)
const code = await runImportCli(process.argv.slice(2), running.deps, { out: (l) => console.log(l), err: (l) => console.error(l) })
await running.close()
process.exit(code)
