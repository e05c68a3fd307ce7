import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../gateway/config.ts'

describe('parseConfig', () => {
  it('applies the contract defaults', () => {
    const c = parseConfig({})
    expect(c).toMatchObject({
      port: 8787, host: '127.0.0.1', databaseUrl: undefined, dataDir: './.data', redisUrl: undefined, defaultCountry: undefined,
      meta: { graphApiBase: 'https://graph.facebook.com/v21.0' },
      telegram: { apiRoot: 'https://api.telegram.org', adminIds: [] },
      hubspot: { apiBase: 'https://api.hubapi.com' }, zoho: { apiBase: 'https://www.zohoapis.com/crm/v6' },
    })
  })

  it('reads values and treats empty strings as unset', () => {
    const c = parseConfig({ PORT: '9000', DEFAULT_COUNTRY: 'gb', TELEGRAM_ADMIN_IDS: '1, 22 ,333', DATABASE_URL: '', GRAPH_API_BASE: 'http://127.0.0.1:9/v21.0/' })
    expect(c.port).toBe(9000)
    expect(c.defaultCountry).toBe('GB')
    expect(c.telegram.adminIds).toEqual(['1', '22', '333'])
    expect(c.databaseUrl).toBeUndefined()
    expect(c.meta.graphApiBase).toBe('http://127.0.0.1:9/v21.0')
  })

  it('names each bad variable', () => {
    expect(() => parseConfig({ PORT: 'eighty', DEFAULT_COUNTRY: 'Narnia', ADMIN_API_TOKEN: 'short' })).toThrow(ConfigError)
    try {
      parseConfig({ PORT: 'eighty', DEFAULT_COUNTRY: 'XX', ADMIN_API_TOKEN: 'short' })
    } catch (e) {
      expect((e as Error).message).toMatch(/PORT/)
      expect((e as Error).message).toMatch(/DEFAULT_COUNTRY/)
      expect((e as Error).message).toMatch(/ADMIN_API_TOKEN/)
    }
  })
})
