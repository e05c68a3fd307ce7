import { openDatabase } from '../../storage/db.ts'
import { parseConfig } from '../config.ts'

// `npm run migrate`: brings the database at DATABASE_URL (or the embedded one) up to date and exits. The Node gateway
// migrates at start; a Workers deployment, which never migrates, runs this once per release.
const config = parseConfig(process.env)
const db = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir })
const [row] = await db.sql<{ version: number; name: string }[]>`select version, name from schema_migrations order by version desc limit 1`
console.log(`Database is up to date: migration ${row?.version ?? 0} (${row?.name ?? 'none'}).`)
await db.close()
