import type { Queryable, Sql } from '../sql.ts'

// Big enough that a 200 MB file is 800 rows, small enough that writing or reading one holds little memory:
// postgres.js sends and reads bytea as hex text, so a chunk is three to five times its size in memory on its
// way, in buffers whose freed space the process keeps as resident memory.
const CHUNK_BYTES = 256 * 1024

/** Keeps an import's file in the database as it is read, in chunks of CHUNK_BYTES; returns its size. */
export async function storeImportFile(sql: Sql, importId: string, bytes: AsyncIterable<Uint8Array>): Promise<number> {
  let seq = 0
  let size = 0
  let pending: Uint8Array[] = []
  let pendingBytes = 0
  const flush = async () => {
    if (pendingBytes === 0) return
    // A file read in pieces of the chunk's size (the spool's and the CLI's reads) is stored without a copy.
    const [only] = pending
    const chunk = pending.length === 1 && Buffer.isBuffer(only) ? only : Buffer.concat(pending, pendingBytes)
    pending = []
    pendingBytes = 0
    await sql`insert into import_files (import_id, seq, chunk) values (${importId}, ${seq++}, ${chunk})`
  }
  for await (const piece of bytes) {
    pending.push(piece)
    pendingBytes += piece.length
    size += piece.length
    if (pendingBytes >= CHUNK_BYTES) await flush()
  }
  await flush()
  return size
}

/** An import's file as it was stored, one chunk at a time. */
export async function* importFileBytes(sql: Sql, importId: string): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const [row] = await sql<{ chunk: Uint8Array }[]>`select chunk from import_files where import_id = ${importId} and seq = ${seq}`
    if (row === undefined) return
    yield row.chunk
  }
}

export async function deleteImportFile(sql: Queryable, importId: string): Promise<void> {
  await sql`delete from import_files where import_id = ${importId}`
}

/** Files that no import holds: a process stopped between storing a file and recording its import. */
export async function deleteOrphanFiles(sql: Queryable, olderThan: Date): Promise<void> {
  await sql`
    delete from import_files f where f.stored_at < ${olderThan}
      and not exists (select 1 from imports i where i.id = f.import_id and i.status in ('in_progress', 'draft'))`
}
