import { stringify } from 'csv-stringify/sync'
import type { Contact } from '../../domain/contact.ts'
import { customValueText, type CustomFieldDefinition } from '../../domain/custom-fields.ts'
import { CONTACT_CSV_COLUMNS, contactCsvHeader, LIST_SEPARATOR, neutralizeCell } from '../../domain/csv/export.ts'

/**
 * The export as Node wrote it before PostgreSQL did (contact by contact through csv-stringify), kept as the
 * reference the SQL export must match byte for byte.
 */
export function expectedExport(contacts: readonly Contact[], defs: readonly CustomFieldDefinition[]): string {
  const rows = contacts.map((c) => {
    const cells: Record<(typeof CONTACT_CSV_COLUMNS)[number], string | null | undefined> = {
      id: c.id, name: c.name, mobile: c.mobile, email: c.email, dateOfBirth: c.dateOfBirth, company: c.company,
      street: c.address.street, city: c.address.city, state: c.address.state, zip: c.address.zip, country: c.address.country,
      instagram: c.social.instagram, facebook: c.social.facebook, linkedin: c.social.linkedin, twitter: c.social.twitter,
      otherMobiles: c.otherMobiles.join(LIST_SEPARATOR), otherEmails: c.otherEmails.join(LIST_SEPARATOR),
      ownerId: c.ownerId, preference: c.preference, source: c.source,
      identities: c.identities.map((i) => `${i.channel}:${i.externalId}`).join(LIST_SEPARATOR),
      createdAt: c.createdAt, updatedAt: c.updatedAt,
    }
    const extra = [c.labels.join(LIST_SEPARATOR), ...defs.map((d) => customValueText(c.fields[d.key]))]
    return [...CONTACT_CSV_COLUMNS.map((column) => cells[column] ?? ''), ...extra].map(neutralizeCell)
  })
  return '\ufeff' + stringify([contactCsvHeader(defs)]) + (rows.length === 0 ? '' : stringify(rows))
}
