import { z } from 'zod'
import { isCountryCode } from '../domain/country.ts'

const emptyAsUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)

const ConfigSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65535).default(8787)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('./.data')),
  SPOOL_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  REDIS_URL: z.preprocess(emptyAsUndefined, z.string().optional()),
  META_APP_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  META_VERIFY_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  WHATSAPP_ACCESS_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  META_PAGE_ACCESS_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  WHATSAPP_PHONE_NUMBER_ID: z.preprocess(emptyAsUndefined, z.string().optional()),
  GRAPH_API_BASE: z.preprocess(emptyAsUndefined, z.url().default('https://graph.facebook.com/v21.0')),
  ADMIN_API_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'ADMIN_API_TOKEN must be at least 16 characters').optional()),
  DEFAULT_COUNTRY: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim().toUpperCase() : undefined),
    z.string().refine(isCountryCode, 'DEFAULT_COUNTRY must be an ISO 3166-1 alpha-2 code such as GB').optional(),
  ),
  TELEGRAM_BOT_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  TELEGRAM_API_ROOT: z.preprocess(emptyAsUndefined, z.url().default('https://api.telegram.org')),
  TELEGRAM_WEBHOOK_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  TELEGRAM_ADMIN_IDS: z.preprocess(
    (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter((s) => s !== '') : []),
    z.array(z.string().regex(/^\d+$/, 'TELEGRAM_ADMIN_IDS must be comma-separated numeric Telegram user ids')),
  ),
  HUBSPOT_CLIENT_SECRET: z.preprocess(emptyAsUndefined, z.string().optional()),
  HUBSPOT_ACCESS_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  HUBSPOT_API_BASE: z.preprocess(emptyAsUndefined, z.url().default('https://api.hubapi.com')),
  ZOHO_WEBHOOK_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  ZOHO_ACCESS_TOKEN: z.preprocess(emptyAsUndefined, z.string().optional()),
  ZOHO_API_BASE: z.preprocess(emptyAsUndefined, z.url().default('https://www.zohoapis.com/crm/v6')),
  CRM_DEFAULT_OWNER: z.preprocess(emptyAsUndefined, z.email('CRM_DEFAULT_OWNER must be the email of a user').optional()),
  INBOUND_DEFAULT_PREFERENCE: z.preprocess(emptyAsUndefined, z.enum(['proactive', 'reactive']).default('reactive')),
  SEND_RATE_PER_SECOND: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(80)),
  ADMIN_RATE_LIMIT_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(600)),
  AUTH_FAILURES_PER_MINUTE: z.preprocess(emptyAsUndefined, z.coerce.number().int().positive().default(20)),
  IMPORT_MAX_MB: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(100_000).default(200)),
  ADMIN_EMAIL: z.preprocess(emptyAsUndefined, z.email('ADMIN_EMAIL must be an email address').optional()),
  ADMIN_PASSWORD: z.preprocess(emptyAsUndefined, z.string().min(12, 'ADMIN_PASSWORD must be at least 12 characters').optional()),
  WORKERS: z.preprocess(emptyAsUndefined, z.enum(['on', 'off'], 'WORKERS must be on or off').default('on')),
  METRICS_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'METRICS_TOKEN must be at least 16 characters').optional()),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info')),
})

export type Config = {
  port: number
  host: string
  databaseUrl: string | undefined
  dataDir: string
  /** Where uploads are written while they arrive; ours alone, so that what a crash leaves can be cleared. */
  spoolDir: string
  redisUrl: string | undefined
  meta: { appSecret: string | undefined; verifyToken: string | undefined; whatsappAccessToken: string | undefined; pageAccessToken: string | undefined; whatsappPhoneNumberId: string | undefined; graphApiBase: string }
  adminApiToken: string | undefined
  defaultCountry: string | undefined
  telegram: { botToken: string | undefined; apiRoot: string; webhookSecret: string | undefined; adminIds: string[] }
  hubspot: { clientSecret: string | undefined; accessToken: string | undefined; apiBase: string }
  zoho: { webhookToken: string | undefined; accessToken: string | undefined; apiBase: string }
  /** The email of the user who owns contacts a CRM creates when the record's owner is no user here. */
  crmDefaultOwner: string | undefined
  /** The built-in admin's console sign-in, set at start when both are given. */
  console: { adminEmail: string | undefined; adminPassword: string | undefined }
  /** Whether this process drains the inbox and runs background jobs (WORKERS). */
  workers: boolean
  /** A bearer token for GET /metrics besides an admin's (a scraper need not be a user). */
  metricsToken: string | undefined
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'
  /** Preference of contacts created by an incoming message. */
  inboundDefaultPreference: 'proactive' | 'reactive'
  limits: { jsonBodyBytes: number; webhookBodyBytes: number; adminRequestsPerMinute: number; authFailuresPerMinute: number; signatureFailuresPerMinute: number; sendsPerSecondPerNumber: number; importBytes: number }
}

export class ConfigError extends Error {}

/** Reads the environment once; every other module receives the typed result. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`)
  }
  const e = parsed.data
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    spoolDir: e.SPOOL_DIR ?? `${e.DATA_DIR.replace(/\/+$/, '')}/uploads`,
    redisUrl: e.REDIS_URL,
    meta: {
      appSecret: e.META_APP_SECRET,
      verifyToken: e.META_VERIFY_TOKEN,
      whatsappAccessToken: e.WHATSAPP_ACCESS_TOKEN,
      pageAccessToken: e.META_PAGE_ACCESS_TOKEN,
      whatsappPhoneNumberId: e.WHATSAPP_PHONE_NUMBER_ID,
      graphApiBase: e.GRAPH_API_BASE.replace(/\/+$/, ''),
    },
    adminApiToken: e.ADMIN_API_TOKEN,
    defaultCountry: e.DEFAULT_COUNTRY,
    telegram: { botToken: e.TELEGRAM_BOT_TOKEN, apiRoot: e.TELEGRAM_API_ROOT, webhookSecret: e.TELEGRAM_WEBHOOK_SECRET, adminIds: e.TELEGRAM_ADMIN_IDS },
    hubspot: { clientSecret: e.HUBSPOT_CLIENT_SECRET, accessToken: e.HUBSPOT_ACCESS_TOKEN, apiBase: e.HUBSPOT_API_BASE },
    zoho: { webhookToken: e.ZOHO_WEBHOOK_TOKEN, accessToken: e.ZOHO_ACCESS_TOKEN, apiBase: e.ZOHO_API_BASE },
    crmDefaultOwner: e.CRM_DEFAULT_OWNER,
    console: { adminEmail: e.ADMIN_EMAIL, adminPassword: e.ADMIN_PASSWORD },
    workers: e.WORKERS === 'on',
    metricsToken: e.METRICS_TOKEN,
    logLevel: e.LOG_LEVEL,
    inboundDefaultPreference: e.INBOUND_DEFAULT_PREFERENCE,
    // Meta documents payloads of up to 3 MB (batched changes); anything larger is not Meta.
    limits: { jsonBodyBytes: 1024 * 1024, webhookBodyBytes: 3 * 1024 * 1024, adminRequestsPerMinute: e.ADMIN_RATE_LIMIT_PER_MINUTE, authFailuresPerMinute: e.AUTH_FAILURES_PER_MINUTE, signatureFailuresPerMinute: 20, sendsPerSecondPerNumber: e.SEND_RATE_PER_SECOND, importBytes: Math.round(e.IMPORT_MAX_MB * 1024 * 1024) },
  }
}
