import postgres from 'postgres'
import { openDatabase, type Database } from '../../storage/db.ts'

/**
 * A database of its own for one test file: a fresh database on the PostgreSQL server at DATABASE_URL when it is
 * set (CI), an in-memory PGlite otherwise. Dropped again on close.
 */
export async function openTestDatabase(options: { poolSize?: number } = {}): Promise<Database> {
  const serverUrl = process.env.DATABASE_URL
  if (serverUrl === undefined || serverUrl === '') return openDatabase({ dataDir: 'memory://' })
  const name = `cg_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database ${name}`)
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  const db = await openDatabase({ url: url.toString(), dataDir: 'unused', ...options })
  let closing: Promise<void> | undefined
  const drop = async () => {
    await db.close()
    await admin.unsafe(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
  return { ...db, close: () => (closing ??= drop()) }
}

export function usingServer(): boolean {
  return (process.env.DATABASE_URL ?? '') !== ''
}
