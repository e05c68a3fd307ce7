import { pino } from 'pino'
import { describe, expect, it, vi } from 'vitest'
import { databaseCircuit } from '../../gateway/infra/db-circuit.ts'

const logger = pino({ level: 'silent' })
const never = () => new Promise<never>(() => {})

describe('a stalled request', () => {
  it('opens the circuit when the database does not answer on a connection of its own in time', async () => {
    const circuit = databaseCircuit(async () => {}, logger, { probeDeadlineMs: 50, probeEveryMs: 10_000, probeOwnConnection: never })
    circuit.stalled()
    await circuit.opened()
    expect(circuit.isOpen()).toBe(true)
    circuit.stop()
  })

  it('leaves it closed when the database answers, however many requests stall together', async () => {
    const probe = vi.fn(async () => {})
    const circuit = databaseCircuit(async () => {}, logger, { probeDeadlineMs: 50, probeOwnConnection: probe })
    for (let i = 0; i < 20; i++) circuit.stalled()
    await vi.waitFor(() => expect(probe).toHaveBeenCalled())
    await new Promise((resolve) => setImmediate(resolve))
    expect(probe).toHaveBeenCalledTimes(1)
    expect(circuit.isOpen()).toBe(false)
    circuit.stop()
  })

  it('is not checked without a probe of its own (the embedded database)', async () => {
    const poolProbe = vi.fn(never)
    const circuit = databaseCircuit(poolProbe, logger, { probeDeadlineMs: 10 })
    circuit.stalled()
    expect(poolProbe).not.toHaveBeenCalled()
    expect(circuit.isOpen()).toBe(false)
    circuit.stop()
  })
})

describe('the circuit while open', () => {
  it('closes again once a probe answers, even after a probe that never settled', async () => {
    let answer: () => Promise<unknown> = never
    const circuit = databaseCircuit(() => answer(), logger, { probeDeadlineMs: 30, probeEveryMs: 10 })
    circuit.trip()
    expect(await circuit.ready(5)).toBe(false)
    answer = async () => {}
    await vi.waitFor(() => expect(circuit.isOpen()).toBe(false))
    circuit.stop()
  })
})
