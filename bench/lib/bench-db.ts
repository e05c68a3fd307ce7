import postgres from 'postgres'
import { openDatabase, type Database } from '../../storage/db.ts'

/**
 * A scratch database on the real PostgreSQL server for one benchmark. Benchmarks refuse to run on the embedded
 * database: its numbers say nothing about production.
 */
export async function openBenchDatabase(name: string, fresh: boolean): Promise<{ db: Database; url: string }> {
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl === undefined || serverUrl === '') {
    console.error('Benchmarks run against a real PostgreSQL server: set DATABASE_URL (see docs/benchmarks.md).')
    process.exit(2)
  }
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  const exists = (await admin`select 1 from pg_database where datname = ${name}`).length > 0
  if (fresh && exists) await admin.unsafe(`drop database ${name} with (force)`)
  if (fresh || !exists) await admin.unsafe(`create database ${name}`)
  await admin.end()
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  return { db: await openDatabase({ url: url.toString(), dataDir: 'unused', poolSize: 10 }), url: url.toString() }
}
