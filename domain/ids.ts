const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids are UUIDs, compared case-insensitively: `A1B2…` and `a1b2…` name the same row. */
export function isUuid(value: string): boolean {
  return UUID.test(value)
}

/** The stored spelling of an id (lower case), or null when the text is not an id at all. */
export function canonicalId(value: string): string | null {
  return UUID.test(value) ? value.toLowerCase() : null
}
