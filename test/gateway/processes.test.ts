import { afterAll, describe, expect, it } from 'vitest'
import { ADMIN_TOKEN } from '../helpers/app.ts'
import { usingServer } from '../helpers/db.ts'
import { APP_SECRET, sign, waPayload, waStatus, waText } from '../helpers/meta.ts'
import { processGroup, type GatewayProcess } from '../helpers/process.ts'

// Real gateway processes taking Meta's traffic as Meta sends it: shuffled, each delivery twice, retried while a
// process is gone. On a PostgreSQL server two processes receive and drain at once and one is killed; on the
// embedded database (one process per data directory) the one process is stopped mid-load and started again.
const groups: Awaited<ReturnType<typeof processGroup>>[] = []
afterAll(async () => {
  for (const group of groups) await group.close()
})

const auth = { authorization: `Bearer ${ADMIN_TOKEN}` }
const SENDERS = 100
const PER_SENDER = 10
const waId = (i: number) => `4474009${String(i).padStart(5, '0')}`
const MOVED_TO = '4915123499999'

/** The deliveries, unique, in the order each sender sent them; sender 0 changes number halfway. */
function deliveries(): { key: string; body: string; sender: number }[] {
  const out: { key: string; body: string; sender: number }[] = []
  for (let s = 0; s < SENDERS; s++) {
    for (let m = 0; m < PER_SENDER; m++) {
      const from = s === 0 && m >= PER_SENDER / 2 ? MOVED_TO : waId(s)
      if (s === 0 && m === PER_SENDER / 2) {
        out.push({ key: 'move', sender: 0, body: JSON.stringify(waPayload('PNID_MP', { messages: [{ from: waId(0), id: 'wamid.mp-move', timestamp: String(1_763_900_000 + m), type: 'system', system: { body: 'changed their phone number', new_wa_id: MOVED_TO, type: 'user_changed_number' } }] })) })
      }
      out.push({ key: `${s}-${m}`, sender: s, body: JSON.stringify(waText({ phoneNumberId: 'PNID_MP', waId: from, name: `Sender ${s}`, id: `wamid.mp-${s}-${m}`, text: `message ${m}`, ts: 1_763_900_000 + m })) })
    }
    if (s % 2 === 0) out.push({ key: `status-${s}`, sender: -1, body: JSON.stringify(waStatus({ id: `wamid.unknown-${s}`, status: 'delivered', recipient: waId(s) })) })
  }
  return out
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[items[i], items[j]] = [items[j] as T, items[i] as T]
  }
  return items
}

/** Meta's side: a delivery goes to any live process, and is sent again until one answers 200. */
async function deliverUntilAccepted(live: () => GatewayProcess[], body: string): Promise<void> {
  for (let attempt = 0; attempt < 2000; attempt++) {
    const targets = live()
    const target = targets[Math.floor(Math.random() * targets.length)]
    if (target !== undefined) {
      const res = await fetch(`${target.url}/webhooks/whatsapp`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-hub-signature-256': sign(body) }, body }).catch(() => null)
      if (res?.status === 200) return
      await res?.arrayBuffer()
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('a delivery was never accepted')
}

async function api<T>(p: GatewayProcess, path: string): Promise<T> {
  const res = await fetch(`${p.url}${path}`, { headers: auth })
  expect(res.status, path).toBe(200)
  return (await res.json()) as T
}

type Contact = { id: string; mobile: string | null }
async function everyContact(p: GatewayProcess): Promise<Contact[]> {
  const all: Contact[] = []
  let cursor: string | null = null
  do {
    const page: { items: Contact[]; nextCursor: string | null } = await api(p, `/v1/contacts?limit=100${cursor === null ? '' : `&cursor=${cursor}`}`)
    all.push(...page.items)
    cursor = page.nextCursor
  } while (cursor !== null)
  return all
}

async function messagesOf(p: GatewayProcess, contactId: string): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | null = null
  do {
    const page: { items: { externalId: string }[]; nextCursor: string | null } = await api(p, `/v1/contacts/${contactId}/messages?limit=100${cursor === null ? '' : `&cursor=${cursor}`}`)
    ids.push(...page.items.map((m) => m.externalId))
    cursor = page.nextCursor
  } while (cursor !== null)
  return ids
}

describe('several gateway processes on one database', () => {
  it('turn 3,000 shuffled deliveries, each sent twice, into exactly 100 contacts and 1,000 messages, in order per sender, losing nothing when a process goes', async () => {
    const group = await processGroup({ ADMIN_API_TOKEN: ADMIN_TOKEN, META_APP_SECRET: APP_SECRET, WORKERS: 'on' })
    groups.push(group)
    const start = () => group.start()
    let live: GatewayProcess[] = usingServer() ? await Promise.all([start(), start()]) : [await start()]

    const unique = deliveries()
    const ordered = unique.filter((d) => d.sender === 0)
    const others = shuffle(unique.filter((d) => d.sender !== 0).flatMap((d) => [d, d]))
    let accepted = 0
    let interrupted: Promise<void> | null = null
    const interruptAt = Math.floor(others.length / 3)
    const worker = async (queue: typeof others) => {
      for (let d = queue.shift(); d !== undefined; d = queue.shift()) {
        await deliverUntilAccepted(() => live, d.body)
        if (++accepted === interruptAt) {
          const victim = live[live.length - 1]!
          live = live.filter((p) => p !== victim)
          // A killed process (server) or a stopped one (the embedded database, started again on its files).
          interrupted = usingServer() ? victim.kill() : victim.stop().then(async () => { live = [await start()] })
        }
      }
    }
    // Sender 0's deliveries go one after another (each answered before the next is sent), twice each, amid the rest.
    const inOrder = (async () => {
      for (const d of ordered) {
        await deliverUntilAccepted(() => live, d.body)
        await deliverUntilAccepted(() => live, d.body)
      }
    })()
    await Promise.all([...Array.from({ length: 16 }, () => worker(others)), inOrder])
    await interrupted
    expect(accepted).toBe(unique.filter((d) => d.sender !== 0).length * 2)

    const p = live[0]!
    await expect.poll(async () => (await api<{ items: unknown[] }>(p, '/v1/contacts?limit=100')).items.length, { timeout: 60_000, interval: 500 }).toBe(SENDERS)
    const metrics = async () => (await (await fetch(`${p.url}/metrics`, { headers: auth })).text())
    await expect.poll(async () => /^contact_gateway_inbox_depth (\d+)/m.exec(await metrics())?.[1], { timeout: 60_000, interval: 500 }).toBe('0')
    expect((await api<{ items: unknown[] }>(p, '/v1/inbox/dead')).items).toEqual([])

    const contacts = await everyContact(p)
    expect(contacts).toHaveLength(SENDERS)
    const messages = (await Promise.all(contacts.map((c) => messagesOf(p, c.id)))).flat().filter((id) => id.startsWith('wamid.mp-') && id !== 'wamid.mp-move')
    expect(messages).toHaveLength(SENDERS * PER_SENDER)
    expect(new Set(messages).size).toBe(SENDERS * PER_SENDER)
    // The number change came between sender 0's messages: one contact, on the new number, with all ten.
    const moved = contacts.filter((c) => c.mobile === `+${MOVED_TO}`)
    expect(moved).toHaveLength(1)
    expect(contacts.filter((c) => c.mobile === `+${waId(0)}`)).toEqual([])
    expect((await messagesOf(p, moved[0]!.id)).filter((id) => id.startsWith('wamid.mp-0-')).sort()).toEqual(Array.from({ length: PER_SENDER }, (_, m) => `wamid.mp-0-${m}`).sort())
  }, 600_000)
})
