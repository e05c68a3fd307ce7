import { z } from '@hono/zod-openapi'
import { ADDRESS_PARTS, CHANNELS, CONTACT_ISSUE_CODES, CONTACT_SOURCES, FIELD_LIMITS, PREFERENCES, SOCIAL_NETWORKS } from '../../domain/contact.ts'
import { LIST_SORTS } from '../../domain/contact-list.ts'
import { parseCountry } from '../../domain/country.ts'
import { isUuid } from '../../domain/ids.ts'

const text = (max: number) => z.string().max(max).nullable().optional()

const AddressInput = z
  .object(Object.fromEntries(ADDRESS_PARTS.map((p) => [p, text(FIELD_LIMITS[p])])) as Record<(typeof ADDRESS_PARTS)[number], ReturnType<typeof text>>)
  .strict()
const SocialInput = z
  .object(Object.fromEntries(SOCIAL_NETWORKS.map((n) => [n, text(FIELD_LIMITS.social)])) as Record<(typeof SOCIAL_NETWORKS)[number], ReturnType<typeof text>>)
  .strict()

export const ContactInputSchema = z
  .object({
    name: text(FIELD_LIMITS.name),
    mobile: text(FIELD_LIMITS.mobile).openapi({ description: 'Any common format; stored as E.164', example: '+44 7400 123123' }),
    email: text(FIELD_LIMITS.email),
    dateOfBirth: text(10).openapi({ description: 'YYYY-MM-DD', example: '1990-04-01' }),
    company: text(FIELD_LIMITS.company),
    address: AddressInput.nullable().optional().openapi({ description: 'country: ISO alpha-2 or a country name; detected from the mobile when absent' }),
    social: SocialInput.nullable().optional().openapi({ description: 'Handles or profile URLs; stored as lower-case handles' }),
    otherMobiles: z.array(z.string().max(FIELD_LIMITS.mobile)).max(FIELD_LIMITS.otherValues).nullable().optional(),
    otherEmails: z.array(z.string().max(FIELD_LIMITS.email)).max(FIELD_LIMITS.otherValues).nullable().optional(),
    preference: z.enum(PREFERENCES).optional(),
    ownerId: z.uuid().nullable().optional(),
    labels: z.array(z.string().max(200)).max(100).optional().openapi({ description: 'Label names, the whole set; a name not yet known becomes a label' }),
    fields: z.record(z.string().max(40), z.union([z.string().max(2000), z.number(), z.boolean(), z.null()])).optional()
      .openapi({ description: 'Custom field values by key; null clears one' }),
  })
  .strict()
  .openapi('ContactInput')

export const ContactSchema = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    mobile: z.string().nullable().openapi({ example: '+447400123123' }),
    email: z.string().nullable(),
    dateOfBirth: z.string().nullable(),
    company: z.string().nullable(),
    address: z.object({ street: z.string(), city: z.string(), state: z.string(), zip: z.string(), country: z.string() }).partial(),
    social: z.object({ instagram: z.string(), facebook: z.string(), linkedin: z.string(), twitter: z.string() }).partial(),
    otherMobiles: z.array(z.string()),
    otherEmails: z.array(z.string()),
    ownerId: z.string().nullable(),
    preference: z.enum(PREFERENCES),
    labels: z.array(z.string()),
    fields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    identities: z.array(z.object({ channel: z.enum(CHANNELS), externalId: z.string() })),
    source: z.enum(CONTACT_SOURCES),
    issues: z.array(z.object({ code: z.string(), message: z.string() })),
    active: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Contact')

export const ErrorSchema = z
  .object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) })
  .openapi('Error')

export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }) })

/** The search box and the list's filters, combinable: GET /v1/contacts and its CSV export. */
export const ContactFilterQuerySchema = z.object({
  q: z.string().max(200).optional().openapi({ description: 'Name fragments, email, company, or a phone number in any format; case and accents are ignored' }),
  owner: z.string().refine((v) => v === 'none' || isUuid(v), "is not a user id or 'none'").optional().openapi({ description: "The owner's user id, or `none` for contacts nobody owns" }),
  source: z.enum(CONTACT_SOURCES).optional(),
  preference: z.enum(PREFERENCES).optional(),
  country: z.string().max(100).refine((v) => parseCountry(v).ok, 'is not a known country; use an ISO 3166-1 alpha-2 code such as GB or a country name').optional()
    .openapi({ description: 'ISO 3166-1 alpha-2 code or a country name (`DE`, `Deutschland`)' }),
  channel: z.enum(CHANNELS).optional().openapi({ description: 'Has an identity on this channel' }),
  issue: z.enum(CONTACT_ISSUE_CODES).optional().openapi({ description: 'Has this data issue' }),
  label: z.union([z.string().max(200), z.array(z.string().max(200)).max(20)]).optional()
    .openapi({ description: 'A label name; repeat it for contacts that have all of them' }),
  list: z.string().max(100).optional().openapi({ description: 'A contact list id: its members' }),
})

export const SearchQuerySchema = ContactFilterQuerySchema.extend({
  sort: z.enum(LIST_SORTS).default('newest').openapi({ description: '`newest` first, `name` (A–Z, unnamed last) or `last_message` (latest chat first, never-written last)' }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(1000).optional(),
})

export const ContactPageSchema = z.object({ items: z.array(ContactSchema), nextCursor: z.string().nullable() }).openapi('ContactPage')

export const InboxSchema = z
  .object({
    channel: z.enum(['whatsapp', 'instagram', 'messenger']),
    accountId: z.string().trim().min(1).max(100).openapi({ description: 'WhatsApp phone_number_id, Facebook page id or Instagram account id' }),
  })
  .strict()
  .openapi('Inbox')

export const UserSchema = z
  .object({ id: z.string(), name: z.string(), email: z.string().nullable(), role: z.enum(['admin', 'agent']), telegramId: z.string().nullable(), active: z.boolean(), inboxes: z.array(InboxSchema), createdAt: z.string() })
  .openapi('User')

const telegramId = z.union([z.string().regex(/^\d{1,20}$/), z.number().int().positive()]).transform(String).nullable()
const signInEmail = z.string().trim().max(254).nullable().openapi({ description: 'The console sign-in email (unique, case-insensitive)' })
const inboxes = z.array(InboxSchema).max(100).openapi({ description: 'The inboxes this user takes chats from' })

export const UserInputSchema = z
  .object({ name: z.string().trim().min(1).max(200), email: signInEmail.optional(), role: z.enum(['admin', 'agent']), telegramId: telegramId.optional(), inboxes: inboxes.optional() })
  .strict()
  .openapi('UserInput')

export const UserPatchSchema = z
  .object({ name: z.string().trim().min(1).max(200).optional(), email: signInEmail.optional(), role: z.enum(['admin', 'agent']).optional(), telegramId: telegramId.optional(), active: z.boolean().optional(), inboxes: inboxes.optional() })
  .strict()
  .openapi('UserPatch')

export const MessageSchema = z
  .object({
    id: z.string(), channel: z.enum(['whatsapp', 'instagram', 'messenger']), direction: z.enum(['inbound', 'outbound']), type: z.string(),
    text: z.string().optional(), externalId: z.string(), sentAt: z.string(), status: z.string().optional(),
  })
  .openapi('Message')

export const HistoryEntrySchema = z
  .object({
    at: z.string(), kind: z.enum(['created', 'updated', 'deleted', 'merged', 'unmerged']), actorId: z.string().nullable(),
    source: z.enum(['manual', 'import', 'incoming', 'crm', 'merge', 'bot', 'console']),
    changes: z.record(z.string(), z.object({ from: z.unknown(), to: z.unknown() })).optional(),
    importId: z.string().optional(), mergeId: z.string().optional(),
    crm: z.object({ system: z.string(), recordId: z.string() }).optional().openapi({ description: 'For a change a CRM push or sync made' }),
  })
  .openapi('HistoryEntry')

export const HistoryPageSchema = z.object({ items: z.array(HistoryEntrySchema), nextCursor: z.string().nullable() }).openapi('HistoryPage')

export const MessagePageSchema = z.object({ items: z.array(MessageSchema), nextCursor: z.string().nullable() }).openapi('MessagePage')

export const PageQuerySchema = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20), cursor: z.string().max(300).optional() })

export const CreatedUserSchema = UserSchema.extend({
  token: z.string().openapi({ description: 'Bearer token; shown only in this response' }),
  passwordLink: z.string().nullable().openapi({ description: 'One-time link (24 h) to choose a console password; null without an email' }),
}).openapi('CreatedUser')

export const MeSchema = z.object({ id: z.string(), name: z.string(), role: z.enum(['admin', 'agent']) }).openapi('Me')

export const HealthSchema = z.object({ ok: z.boolean(), db: z.enum(['up', 'down']), redis: z.enum(['up', 'memory', 'down']) }).openapi('Health')

/** A required JSON request body of this schema, as createRoute's `request.body` takes it. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { content: { 'application/json': { schema } }, required: true }
}

export function jsonContent<T>(schema: T, description: string) {
  return { content: { 'application/json': { schema } }, description }
}

export const errorResponses = {
  400: jsonContent(ErrorSchema, 'Malformed request'),
  401: jsonContent(ErrorSchema, 'Missing or unknown bearer token'),
  413: jsonContent(ErrorSchema, 'Body too large'),
  422: jsonContent(ErrorSchema, 'Invalid fields; details lists each field and its problem'),
} as const
