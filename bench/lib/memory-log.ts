// Loaded into a benchmarked server with BENCH_NODE_ARGS="--import ./bench/lib/memory-log.ts": its memory once a
// second on stderr (RSS, V8 heap used and total, external and array buffers, in MB), to see where a peak comes from.
const MB = 1024 * 1024
const started = performance.now()
setInterval(() => {
  const m = process.memoryUsage()
  const mb = (n: number) => Math.round(n / MB)
  process.stderr.write(`[memory ${Math.round((performance.now() - started) / 1000)} s] rss ${mb(m.rss)} heapUsed ${mb(m.heapUsed)} heapTotal ${mb(m.heapTotal)} external ${mb(m.external)} arrayBuffers ${mb(m.arrayBuffers)}\n`)
}, 1000).unref()
