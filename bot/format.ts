import type { Contact, ContactFields } from '../gateway/actions/vocabulary.ts'

/** A contact in one line: name, mobile, email and company, whichever it has. */
export function contactBrief(c: Pick<ContactFields, 'name' | 'mobile' | 'email' | 'company'>): string {
  return [c.name ?? '(no name)', c.mobile, c.email, c.company].filter((v) => v !== null).join(' · ')
}

/** The one line, and the id to use in the next command on the line below. */
export function contactLine(c: Contact): string {
  return `${contactBrief(c)}\n   ${c.id}`
}
