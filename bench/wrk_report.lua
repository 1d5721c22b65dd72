-- wrk's done() hook: one JSON line for bench/run.py. wrk --latency prints p50/p75/p90/p99 but no p95.
-- Times are in microseconds. errors.status counts responses with a status of 400 or more.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1000000
  io.write(string.format(
    'BENCH_RESULT {"requests": %d, "duration_s": %.3f, "bytes": %d, "requests_per_s": %.2f, '
      .. '"latency_mean_us": %.1f, "latency_p50_us": %d, "latency_p95_us": %d, "latency_p99_us": %d, '
      .. '"latency_max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}}\n',
    summary.requests, seconds, summary.bytes, summary.requests / seconds,
    latency.mean, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout
  ))
end
