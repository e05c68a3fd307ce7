import { describe, expect, it } from 'vitest'
import { mobileVariants, whatsappMobile } from '../../domain/whatsapp-number.ts'
import { chooseAssignee } from '../../domain/routing.ts'

describe('whatsappMobile', () => {
  it.each([
    ['447400123123', '+447400123123', 'GB', []],
    ['5511987654321', '+5511987654321', 'BR', ['+551187654321']],
    ['551187654321', '+5511987654321', 'BR', ['+551187654321']],
    ['5215512345678', '+525512345678', 'MX', ['+5215512345678']],
    ['525512345678', '+525512345678', 'MX', ['+5215512345678']],
    ['5491123456789', '+5491123456789', 'AR', ['+541123456789']],
    ['12025550123', '+12025550123', 'US', []],
    ['447700900123', '+447700900123', 'GB', []],
  ])('%s → %s (%s)', (waId, e164, country, variants) => {
    expect(whatsappMobile(waId)).toEqual({ e164, country, variants })
  })

  it('refuses ids that cannot be phone numbers', () => {
    for (const id of ['', '123', '0447400123123', '1234567890123456', 'US.1234']) expect(whatsappMobile(id)).toBeNull()
  })

  it('lists the other spellings of a stored mobile', () => {
    expect(mobileVariants('+551187654321').sort()).toEqual(['+551187654321', '+5511987654321'])
  })
})

describe('chooseAssignee', () => {
  it('gives a returning contact to its owner when the owner works the inbox', () => {
    expect(chooseAssignee({ ownerId: 'b', members: ['a', 'b'], admins: ['z'], turn: 0 })).toEqual({ assigneeId: 'b', usedTurn: false })
  })
  it('takes turns among members otherwise, and falls back to admins', () => {
    const turns = [0, 1, 2, 3].map((turn) => chooseAssignee({ ownerId: 'x', members: ['a', 'b', 'c'], admins: [], turn }).assigneeId)
    expect(turns).toEqual(['a', 'b', 'c', 'a'])
    expect(chooseAssignee({ ownerId: null, members: [], admins: ['z'], turn: 5 })).toEqual({ assigneeId: 'z', usedTurn: true })
    expect(chooseAssignee({ ownerId: null, members: [], admins: [], turn: 0 })).toEqual({ assigneeId: null, usedTurn: false })
  })
})
