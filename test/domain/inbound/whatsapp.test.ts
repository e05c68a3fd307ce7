import { describe, expect, it } from 'vitest'
import { normalizeWhatsApp } from '../../../domain/inbound/whatsapp.ts'
import { waPayload, waStatus, waText } from '../../helpers/meta.ts'

const now = new Date('2026-11-23T12:00:00Z')

describe('normalizeWhatsApp', () => {
  it('turns a text message into a message event with identity, E.164 mobile, country and profile name', () => {
    const [event] = normalizeWhatsApp(waText({ waId: '447400123123', name: 'Jane', id: 'wamid.1', text: 'Hello', ts: 1_763_900_000 }), now)
    expect(event).toEqual({
      kind: 'message', channel: 'whatsapp', accountId: 'PNID_1',
      sender: { externalIds: ['447400123123'], mobile: { e164: '+447400123123', country: 'GB', variants: [] }, name: 'Jane' },
      message: { externalId: 'wamid.1', type: 'text', text: 'Hello', sentAt: new Date(1_763_900_000_000), raw: expect.objectContaining({ id: 'wamid.1' }) },
      stopKeyword: false,
    })
  })

  it('matches contacts to messages by wa_id, not by position', () => {
    const payload = waPayload('PNID_1', {
      contacts: [{ profile: { name: 'Bob' }, wa_id: '4915123456789' }, { profile: { name: 'Ana' }, wa_id: '34612345678' }],
      messages: [
        { from: '34612345678', id: 'wamid.a', timestamp: '1763900000', type: 'text', text: { body: 'hola' } },
        { from: '4915123456789', id: 'wamid.b', timestamp: '1763900001', type: 'text', text: { body: 'hallo' } },
      ],
    })
    const names = normalizeWhatsApp(payload, now).map((e) => (e.kind === 'message' ? [e.sender.name, e.sender.mobile?.country] : null))
    expect(names).toEqual([['Ana', 'ES'], ['Bob', 'DE']])
  })

  it('keeps numbers that metadata calls invalid, with the country of their calling code', () => {
    const [event] = normalizeWhatsApp(waText({ waId: '447700900123', id: 'wamid.drama', text: 'hi' }), now)
    expect(event).toMatchObject({ kind: 'message', sender: { mobile: { e164: '+447700900123', country: 'GB' } } })
  })

  it('reads senders known only by business-scoped user id', () => {
    const payload = waPayload('PNID_1', {
      contacts: [{ profile: { name: 'Scoped' }, user_id: 'US.13491208655302741918', username: 'scoped_user' }],
      messages: [{ from_user_id: 'US.13491208655302741918', id: 'wamid.bsuid', timestamp: '1763900000', type: 'text', text: { body: 'hi' } }],
    })
    expect(normalizeWhatsApp(payload, now)).toEqual([expect.objectContaining({ kind: 'message', sender: { externalIds: ['US.13491208655302741918'], mobile: null, name: 'Scoped' } })])
  })

  it('gives both ids when a phone sender also has a business-scoped id', () => {
    const payload = waPayload('PNID_1', {
      contacts: [{ profile: { name: 'Both' }, wa_id: '447400123123', user_id: 'US.1' }],
      messages: [{ from: '447400123123', from_user_id: 'US.1', id: 'wamid.both', timestamp: '1763900000', type: 'text', text: { body: 'x' } }],
    })
    expect(normalizeWhatsApp(payload, now)[0]).toMatchObject({ sender: { externalIds: ['447400123123', 'US.1'] } })
  })

  it('reads statuses, including failures with error codes and contacts without a profile, and creates no message', () => {
    const events = normalizeWhatsApp(waStatus({ id: 'wamid.out', status: 'failed', recipient: '447400123123', errors: [{ code: 131047, title: 'Re-engagement message', error_data: { details: 'More than 24 hours' } }], contacts: [{ wa_id: '447400123123' }] }), now)
    expect(events).toEqual([{ kind: 'status', channel: 'whatsapp', messageId: 'wamid.out', status: 'failed', at: new Date(1_763_900_100_000), error: { code: 131047, title: 'Re-engagement message', message: 'More than 24 hours' } }])
    expect(normalizeWhatsApp(waStatus({ id: 'wamid.voice', status: 'played', recipient: '1' }), now)).toEqual([expect.objectContaining({ kind: 'status', status: 'played' })])
  })

  it('reads user_changed_number as a move to the new number', () => {
    const payload = waPayload('PNID_1', {
      messages: [{ from: '447400123123', id: 'wamid.sys', timestamp: '1763900000', type: 'system', system: { body: 'Jane changed their phone number to a new number', new_wa_id: '447400999000', type: 'user_changed_number' } }],
    })
    expect(normalizeWhatsApp(payload, now)).toEqual([expect.objectContaining({
      kind: 'number_changed', from: expect.objectContaining({ externalIds: ['447400123123'] }), to: expect.objectContaining({ externalIds: ['447400999000'], mobile: expect.objectContaining({ e164: '+447400999000' }) }),
    })])
  })

  it('reads the new and the previous business-scoped user id of user_changed_number', () => {
    const payload = waPayload('PNID_1', {
      messages: [{ from: '447400123123', id: 'wamid.sys2', timestamp: '1763900000', type: 'system', system: { body: 'Jane changed their phone number to a new number', wa_id: '447400999000', user_id: 'GB.NEW', previous_user_id: 'GB.OLD', type: 'user_changed_number' } }],
    })
    expect(normalizeWhatsApp(payload, now)).toEqual([expect.objectContaining({
      kind: 'number_changed', from: expect.objectContaining({ externalIds: ['447400123123', 'GB.OLD'] }), to: expect.objectContaining({ externalIds: ['447400999000', 'GB.NEW'] }),
    })])
  })

  it('reads marketing preference changes and STOP keywords', () => {
    const prefs = waPayload('PNID_1', {
      contacts: [{ wa_id: '447400123123', profile: { name: 'Jane' } }],
      user_preferences: [{ wa_id: '447400123123', detail: 'User requested to stop marketing messages', category: 'marketing_messages', value: 'stop', timestamp: 1763900000 }],
    })
    expect(normalizeWhatsApp(prefs, now)).toEqual([expect.objectContaining({ kind: 'marketing_preference', value: 'stop', detail: 'User requested to stop marketing messages' })])
    for (const text of ['STOP', ' stop ', 'Unsubscribe.', 'STOPALL']) {
      expect(normalizeWhatsApp(waText({ waId: '447400123123', id: `wamid.${text}`, text }), now)[0]).toMatchObject({ stopKeyword: true })
    }
    expect(normalizeWhatsApp(waText({ waId: '447400123123', id: 'wamid.x', text: 'please stop by tomorrow' }), now)[0]).toMatchObject({ stopKeyword: false })
  })

  it('stores shared contact cards as content, not contacts, and every type with its text if any', () => {
    const payload = waPayload('PNID_1', {
      contacts: [{ wa_id: '447400123123', profile: { name: 'Jane' } }],
      messages: [
        { from: '447400123123', id: 'wamid.card', timestamp: '1763900000', type: 'contacts', contacts: [{ name: { formatted_name: 'Other Person' }, phones: [{ phone: '+34 612 345 678', wa_id: '34612345678' }] }] },
        { from: '447400123123', id: 'wamid.img', timestamp: '1763900001', type: 'image', image: { id: 'media1', caption: 'look', mime_type: 'image/jpeg' } },
        { from: '447400123123', id: 'wamid.btn', timestamp: '1763900002', type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'b1', title: 'Yes' } } },
        { from: '447400123123', id: 'wamid.unsup', timestamp: '1763900003', type: 'unsupported', errors: [{ code: 131051, title: 'Message type unknown' }] },
      ],
    })
    const events = normalizeWhatsApp(payload, now)
    expect(events.map((e) => (e.kind === 'message' ? [e.message.type, e.message.text, e.sender.externalIds[0]] : e.kind))).toEqual([
      ['contacts', null, '447400123123'], ['image', 'look', '447400123123'], ['interactive', 'Yes', '447400123123'], ['unsupported', null, '447400123123'],
    ])
  })

  it('never throws on unexpected shapes and reports what it skipped', () => {
    for (const payload of [null, 42, 'x', [], {}, { entry: 'x' }, { entry: [{ changes: [{ field: 'messages', value: { messages: [{}], statuses: [{ status: 'weird' }] } }] }] }, { entry: [{ changes: [{ field: 'account_update', value: {} }] }] }]) {
      const events = normalizeWhatsApp(payload, now)
      expect(events.every((e) => e.kind === 'ignored')).toBe(true)
    }
    expect(normalizeWhatsApp(waPayload('PNID_1', { errors: [{ code: 131000, title: 'Something went wrong' }] }), now)).toEqual([expect.objectContaining({ kind: 'ignored', reason: 'platform error' })])
  })
})
