/** @jsxImportSource hono/jsx */

/** "2026-12-05 14:03 UTC": how an instant reads before (or without) the reader's own formatting. */
export function utcText(iso: string, withSeconds = false): string {
  return `${iso.slice(0, withSeconds ? 19 : 16).replace('T', ' ')} UTC`
}

/**
 * An instant as people read it: UTC from the server, rewritten by local-time.ts in the reader's locale and zone;
 * the title keeps the exact UTC time to the second for whoever needs to compare it with a log.
 */
export function Time(p: { at: string | Date }) {
  const iso = typeof p.at === 'string' ? new Date(p.at).toISOString() : p.at.toISOString()
  return <time datetime={iso} title={utcText(iso, true)}>{utcText(iso)}</time>
}
