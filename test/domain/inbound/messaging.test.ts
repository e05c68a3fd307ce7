import { describe, expect, it } from 'vitest'
import { normalizeInstagram } from '../../../domain/inbound/instagram.ts'
import { normalizeMessenger } from '../../../domain/inbound/messenger.ts'
import { messaging, textEvent } from '../../helpers/meta.ts'

const now = new Date('2026-11-23T12:00:00Z')

describe.each([
  ['messenger', normalizeMessenger, 'page'],
  ['instagram', normalizeInstagram, 'instagram'],
] as const)('%s', (channel, normalize, object) => {
  it('turns a message into an event keyed by the sender id', () => {
    const events = normalize(messaging(object, 'ACCOUNT_1', [textEvent({ from: 'USER_1', to: 'ACCOUNT_1', mid: 'm_1', text: 'hi', ts: 1_763_900_000_000 })]), now)
    expect(events).toEqual([{
      kind: 'message', channel, accountId: 'ACCOUNT_1', sender: { externalIds: ['USER_1'], mobile: null, name: null },
      message: { externalId: 'm_1', type: 'text', text: 'hi', sentAt: new Date(1_763_900_000_000), raw: expect.any(Object) }, stopKeyword: false,
    }])
  })

  it('treats echoes, flagged or from our own account, as outbound', () => {
    const events = normalize(messaging(object, 'ACCOUNT_1', [
      textEvent({ from: 'ACCOUNT_1', to: 'USER_1', mid: 'm_echo1', text: 'reply', echo: true }),
      textEvent({ from: 'ACCOUNT_1', to: 'USER_1', mid: 'm_echo2', text: 'reply' }),
    ]), now)
    expect(events.map((e) => [e.kind, e.kind === 'echo' ? e.recipientId : null])).toEqual([['echo', 'USER_1'], ['echo', 'USER_1']])
  })

  it('opens a conversation on a postback, and creates nothing for reads, deliveries and reactions', () => {
    const events = normalize(messaging(object, 'ACCOUNT_1', [
      { sender: { id: 'USER_2' }, recipient: { id: 'ACCOUNT_1' }, timestamp: 1_763_900_000_000, postback: { mid: 'm_pb', title: 'Get Started', payload: 'START' } },
      { sender: { id: 'USER_2' }, recipient: { id: 'ACCOUNT_1' }, timestamp: 1_763_900_000_001, read: { watermark: 1_763_900_000_000 } },
      { sender: { id: 'USER_2' }, recipient: { id: 'ACCOUNT_1' }, timestamp: 1_763_900_000_002, delivery: { mids: ['m_x'], watermark: 1 } },
      { sender: { id: 'USER_2' }, recipient: { id: 'ACCOUNT_1' }, timestamp: 1_763_900_000_003, reaction: { mid: 'm_x', action: 'react', reaction: 'love', emoji: '❤️' } },
    ]), now)
    expect(events.map((e) => e.kind)).toEqual(['message', 'ignored', 'ignored', 'ignored'])
    expect(events[0]).toMatchObject({ message: { type: 'postback', text: 'Get Started', externalId: 'm_pb' } })
  })

  it('reads attachments as their type and never throws on junk', () => {
    const [e] = normalize(messaging(object, 'ACCOUNT_1', [{ sender: { id: 'U' }, recipient: { id: 'ACCOUNT_1' }, timestamp: 1, message: { mid: 'm_att', attachments: [{ type: 'image', payload: { url: 'https://example.com/x.jpg' } }] } }]), now)
    expect(e).toMatchObject({ kind: 'message', message: { type: 'image', text: null } })
    for (const junk of [null, {}, { entry: [{ messaging: [null, { sender: {} }, { sender: { id: 'U' }, recipient: { id: 'A' }, message: {} }] }] }]) {
      expect(normalize(junk, now).every((x) => x.kind === 'ignored')).toBe(true)
    }
  })
})
