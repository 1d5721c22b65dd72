"""`make bench`: throughput, latency and SQL queries of the portal's pages under gunicorn (docs/benchmark.md)."""
