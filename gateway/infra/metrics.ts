import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/** What the gauges report, read at each scrape so that they are never stale. */
export interface MetricsSources {
  /** Deliveries waiting, the age in seconds of the oldest of them, and the dead ones. */
  inbox(): Promise<{ depth: number; lagSeconds: number; dead: number }>
  /** Jobs counted by kind and state (queued, running, failed). */
  jobs(): Promise<{ kind: string; state: string; count: number }[]>
  /** Database connections checked out of the pool right now. */
  poolInUse(): Promise<number>
}

export type MetricsOptions = {
  /** A source slower than this is counted as failed: a hung database must not make Prometheus drop the whole scrape. */
  sourceTimeoutMs?: number
  /** Node's process metrics (memory, event loop, handles); off where there is no Node process (Workers). */
  processMetrics?: boolean
}

export type Metrics = {
  /** Each app has its own registry: several apps live in one test process, and the global one would clash. */
  registry: Registry
  observeRequest(route: string, method: string, status: number, seconds: number): void
  /** Rows processed by imports; rows/s is `rate(contact_gateway_import_rows_total[1m])`. */
  importRows: (n: number) => void
  render(): Promise<{ contentType: string; body: string }>
}

const PREFIX = 'contact_gateway_'
// Webhooks answer in 1–20 ms, so the buckets are dense there; the tail up to 5 s shows a slow database or Graph call.
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
// Prometheus gives up on a scrape after 10 s by default; the sources must answer well before that.
const DEFAULT_SOURCE_TIMEOUT_MS = 2000

type SourceName = 'inbox' | 'jobs' | 'pool'
const SOURCE_NAMES: SourceName[] = ['inbox', 'jobs', 'pool']

type Inbox = Awaited<ReturnType<MetricsSources['inbox']>>
type Jobs = Awaited<ReturnType<MetricsSources['jobs']>>
/** One scrape's readings; a source that failed is undefined, and its gauges are left out. */
type Readings = { inbox: Inbox | undefined; jobs: Jobs | undefined; pool: number | undefined }

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms) })
  try {
    return await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
  }
}

export function createMetrics(sources: () => MetricsSources, options: MetricsOptions = {}): Metrics {
  const timeoutMs = options.sourceTimeoutMs ?? DEFAULT_SOURCE_TIMEOUT_MS
  const registry = new Registry()
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry })

  const requests = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'HTTP requests by route pattern, method and status; _count is the number of requests.',
    labelNames: ['route', 'method', 'status'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  })
  const rows = new Counter({ name: `${PREFIX}import_rows_total`, help: 'Rows processed by imports.', registers: [registry] })

  async function read<T>(source: SourceName, get: (s: MetricsSources) => Promise<T>): Promise<T | undefined> {
    try {
      return await withTimeout(Promise.resolve().then(() => get(sources())), timeoutMs)
    } catch {
      errors.inc({ source })
      return undefined
    }
  }

  async function readSources(): Promise<Readings> {
    const [inbox, jobs, pool] = await Promise.all([read('inbox', (s) => s.inbox()), read('jobs', (s) => s.jobs()), read('pool', (s) => s.poolInUse())])
    return { inbox, jobs, pool }
  }

  // The registry collects every metric of a scrape at once; they share one read of the sources (one query per
  // source, one error counted per failure), and the error counter waits for it so that it shows this scrape's failures.
  let inFlight: Promise<Readings> | undefined
  const readings = () => (inFlight ??= readSources().finally(() => { inFlight = undefined }))

  const errors = new Counter({
    name: `${PREFIX}metrics_source_errors_total`,
    help: 'Reads of a metrics source that failed or timed out; the gauges it feeds were left out of that scrape.',
    labelNames: ['source'],
    registers: [registry],
    async collect() {
      await readings()
    },
  })
  // Every source has a series from the start, so that rate() and alerts see the first failure.
  for (const source of SOURCE_NAMES) errors.inc({ source }, 0)

  function gauge(name: string, help: string, value: (r: Readings) => number | undefined): void {
    new Gauge({
      name: `${PREFIX}${name}`, help, registers: [registry],
      async collect() {
        const v = value(await readings())
        // Without labels prom-client would print 0, which reads as "all is well"; no sample says "unknown".
        if (v === undefined) this.remove()
        else this.set(v)
      },
    })
  }
  gauge('inbox_depth', 'Deliveries waiting to be processed.', (r) => r.inbox?.depth)
  gauge('inbox_lag_seconds', 'Age of the oldest delivery waiting to be processed.', (r) => r.inbox?.lagSeconds)
  gauge('inbox_dead', 'Deliveries that gave up after their retries.', (r) => r.inbox?.dead)
  gauge('db_pool_in_use', 'Database connections checked out of the pool.', (r) => r.pool)
  new Gauge({
    name: `${PREFIX}jobs`, help: 'Jobs by kind and state.', labelNames: ['kind', 'state'], registers: [registry],
    async collect() {
      const { jobs } = await readings()
      // Kinds and states that are gone since the last scrape must not linger with their old counts.
      this.reset()
      for (const j of jobs ?? []) this.set({ kind: j.kind, state: j.state }, j.count)
    },
  })

  return {
    registry,
    observeRequest(route, method, status, seconds) {
      requests.observe({ route, method, status: String(status) }, seconds)
    },
    importRows(n) {
      // prom-client throws on a negative or non-finite increment; counting must never fail an import.
      if (Number.isFinite(n) && n > 0) rows.inc(n)
    },
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() }
    },
  }
}
