import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkSend, type ContactForSend, type SendChannel } from '../../domain/preference.ts'

const now = new Date('2026-11-23T12:00:00Z')
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000)

function contact(over: Partial<ContactForSend> = {}): ContactForSend {
  return { active: true, preference: 'proactive', hasMobile: true, missingCountryCode: false, marketingOptOut: false, identityChannels: ['whatsapp', 'instagram', 'messenger'], lastInboundAt: {}, ...over }
}

describe('checkSend: preference × channel × window × kind', () => {
  const windows = { inside: hoursAgo(2), outside_24h: hoursAgo(30), outside_7d: hoursAgo(24 * 8), never: undefined }
  const expected: Record<string, string> = {
    // preference/channel/window/kind → reason
    'proactive/whatsapp/inside/text': 'inside_window', 'proactive/whatsapp/inside/template': 'inside_window',
    'proactive/whatsapp/outside_24h/text': 'template_required', 'proactive/whatsapp/outside_24h/template': 'proactive_template',
    'proactive/whatsapp/outside_7d/text': 'template_required', 'proactive/whatsapp/outside_7d/template': 'proactive_template',
    'proactive/whatsapp/never/text': 'template_required', 'proactive/whatsapp/never/template': 'proactive_template',
    'reactive/whatsapp/inside/text': 'inside_window', 'reactive/whatsapp/inside/template': 'inside_window',
    'reactive/whatsapp/outside_24h/text': 'reactive_outside_window', 'reactive/whatsapp/outside_24h/template': 'reactive_outside_window',
    'reactive/whatsapp/outside_7d/text': 'reactive_outside_window', 'reactive/whatsapp/outside_7d/template': 'reactive_outside_window',
    'reactive/whatsapp/never/text': 'reactive_outside_window', 'reactive/whatsapp/never/template': 'reactive_outside_window',
  }
  for (const channel of ['messenger', 'instagram'] as const) {
    for (const pref of ['proactive', 'reactive'] as const) {
      for (const kind of ['text', 'template'] as const) {
        expected[`${pref}/${channel}/inside/${kind}`] = 'inside_window'
        for (const w of ['outside_24h', 'outside_7d', 'never']) expected[`${pref}/${channel}/${w}/${kind}`] = pref === 'reactive' ? 'reactive_outside_window' : 'outside_window'
      }
    }
  }
  it.each(Object.entries(expected))('%s → %s', (key, reason) => {
    const [preference, channel, window, kind] = key.split('/') as ['proactive' | 'reactive', SendChannel, keyof typeof windows, 'text' | 'template']
    const at = windows[window]
    const decision = checkSend(contact({ preference, lastInboundAt: at === undefined ? {} : { [channel]: at } }), { channel, kind }, now)
    expect(decision.reason).toBe(reason)
    expect(decision.allowed).toBe(['inside_window', 'proactive_template', 'human_agent_tag'].includes(reason))
    expect(decision.message.length).toBeGreaterThan(20)
  })

  it('lets a proactive contact be answered by a person with HUMAN_AGENT within 7 days on Messenger/Instagram, not later', () => {
    for (const channel of ['messenger', 'instagram'] as const) {
      expect(checkSend(contact({ lastInboundAt: { [channel]: hoursAgo(72) } }), { channel, kind: 'text', humanAgent: true }, now).reason).toBe('human_agent_tag')
      expect(checkSend(contact({ lastInboundAt: { [channel]: hoursAgo(24 * 8) } }), { channel, kind: 'text', humanAgent: true }, now).reason).toBe('outside_window')
      expect(checkSend(contact({ preference: 'reactive', lastInboundAt: { [channel]: hoursAgo(72) } }), { channel, kind: 'text', humanAgent: true }, now).reason).toBe('reactive_outside_window')
    }
  })

  it('only the contact’s own messages on that channel open its window', () => {
    const c = contact({ preference: 'reactive', lastInboundAt: { messenger: hoursAgo(1) } })
    expect(checkSend(c, { channel: 'whatsapp', kind: 'text' }, now).reason).toBe('reactive_outside_window')
    expect(checkSend(c, { channel: 'messenger', kind: 'text' }, now).reason).toBe('inside_window')
    expect(checkSend(contact({ lastInboundAt: { whatsapp: hoursAgo(24) } }), { channel: 'whatsapp', kind: 'text' }, now).reason).toBe('template_required')
  })
})

describe('checkSend: who can be reached at all', () => {
  it('denies inactive and merged-away contacts first', () => {
    expect(checkSend(contact({ active: false, lastInboundAt: { whatsapp: hoursAgo(1) } }), { channel: 'whatsapp', kind: 'text' }, now).reason).toBe('contact_inactive')
  })
  it('needs an identity on Messenger/Instagram, and an id or a mobile on WhatsApp', () => {
    expect(checkSend(contact({ identityChannels: [] }), { channel: 'messenger', kind: 'text' }, now).reason).toBe('no_channel_identity')
    expect(checkSend(contact({ identityChannels: [] }), { channel: 'whatsapp', kind: 'template' }, now).reason).toBe('proactive_template')
    expect(checkSend(contact({ identityChannels: [], hasMobile: false }), { channel: 'whatsapp', kind: 'template' }, now).reason).toBe('no_channel_identity')
  })
  it('cannot reach a mobile flagged missing_country_code on WhatsApp', () => {
    expect(checkSend(contact({ identityChannels: [], hasMobile: false, missingCountryCode: true }), { channel: 'whatsapp', kind: 'template' }, now).reason).toBe('missing_country_code')
  })
  it('never sends marketing templates to someone who stopped them, even inside the window', () => {
    const c = contact({ marketingOptOut: true, lastInboundAt: { whatsapp: hoursAgo(1) } })
    expect(checkSend(c, { channel: 'whatsapp', kind: 'template', templateCategory: 'marketing' }, now).reason).toBe('marketing_opted_out')
    expect(checkSend(c, { channel: 'whatsapp', kind: 'template', templateCategory: 'utility' }, now).allowed).toBe(true)
  })
  it('never allows a reactive contact outside the window, whatever else is true', () => {
    fc.assert(fc.property(
      fc.constantFrom('whatsapp', 'instagram', 'messenger'), fc.constantFrom('text', 'template'), fc.boolean(), fc.integer({ min: 24, max: 10_000 }), fc.boolean(),
      (channel: SendChannel, kind: 'text' | 'template', humanAgent, hours, marketing) => {
        const c = contact({ preference: 'reactive', lastInboundAt: { [channel]: hoursAgo(hours) } })
        expect(checkSend(c, { channel, kind, humanAgent, templateCategory: marketing ? 'marketing' : 'utility' }, now).allowed).toBe(false)
      },
    ))
  })
})
