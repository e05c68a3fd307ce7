import { describe, expect, it } from 'vitest'
import { uuidV7Generator } from '../../gateway/infra/ids.ts'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidV7Generator', () => {
  it('makes valid, unique, ever-increasing v7 ids, also within one millisecond and when the clock steps back', () => {
    let clock = 1_700_000_000_000
    const steps = [0, 0, 0, 1, 0, -5, 0, 3]
    const next = uuidV7Generator(() => (clock += steps[Math.floor(Math.random() * steps.length)]!))
    const ids = Array.from({ length: 20_000 }, next)
    for (const id of ids.slice(0, 100)) expect(id).toMatch(UUID_V7)
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
  })

  it('encodes the time in the first 48 bits', () => {
    const id = uuidV7Generator(() => 0x0123456789ab)()
    expect(id.startsWith('01234567-89ab-7')).toBe(true)
  })
})
