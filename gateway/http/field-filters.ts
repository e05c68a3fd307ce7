/**
 * The `field.<key>=value` parameters of a URL (custom field equals), which a fixed query schema cannot name:
 * the keys are the custom fields admins defined. The last value of a repeated key counts.
 */
export function fieldFilters(url: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of new URL(url).searchParams) {
    if (name.startsWith('field.') && name.length > 6) out[name.slice(6)] = value
  }
  return out
}
