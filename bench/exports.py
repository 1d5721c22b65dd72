"""Benchmark of the reception visits' CSV export (accueil/stats/exports.py) over the benchmark's million visits.

Run by `make bench` (bench/run.py) in a process of its own, so that its peak memory (the resident set size,
`VmHWM`) is the export's and nothing else's; it can also be run alone against the seeded benchmark database:

    DJANGO_SETTINGS_MODULE=bench.settings DATABASE_URL=…/portail_bench .venv/bin/python -m bench.exports

The project lead asks for every visit of every Maison over the past year and a week (a custom period on
`/accueil/statistiques/visites.csv`)
through Django's test client, as a browser would through the server: the same view, middleware and streamed
response. The process first exports one day (imports, templates and connections loaded: its baseline), then the
year; every chunk is read and dropped, as a server writes it to the socket. Target (issue 8): the export streamed in
bounded memory, its peak a few megabytes over the baseline whatever the number of visits.
"""

import datetime
import json
import time

from bench import child

RESULT_MARKER = "BENCH_EXPORT "
URL = "/accueil/statistiques/visites.csv"
USER = "chef.projet@demo.test"
# Memory the export may add to the process's baseline: batches of 2,000 rows and the response's chunks.
TARGET_EXTRA_MB = 64


def _export(client, query: str) -> tuple[int, int, float]:
    """(bytes, lines, seconds) of one export, streamed and dropped chunk by chunk."""
    started = time.perf_counter()
    response = client.get(f"{URL}?{query}")
    if response.status_code != 200 or not response.streaming:
        raise SystemExit(f"L’export a répondu {response.status_code} (streaming : {response.streaming}).")
    size = lines = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines, time.perf_counter() - started


def run() -> dict:
    import django

    django.setup()
    import logging

    from django.contrib.auth import get_user_model
    from django.test import Client

    logging.getLogger("core.requests").setLevel(logging.WARNING)
    client = Client(SERVER_NAME="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.force_login(get_user_model().objects.get(email=USER))
    _export(client, "periode=personnalisee&du=2000-01-01&au=2000-01-01")  # Warm-up: a day without visits.
    baseline = child.peak_rss_mb()
    from django.utils import timezone

    # Every visit of the dataset: the past year's, seeded up to VISIT_DAYS (365) days back, and a margin.
    today = timezone.localdate()
    query = f"periode=personnalisee&du={today - datetime.timedelta(days=372)}&au={today}"
    size, lines, seconds = _export(client, query)
    peak = child.peak_rss_mb()
    return {
        "url": f"{URL}?{query}",
        "rows": lines - 1,  # The header.
        "bytes": size,
        "seconds": round(seconds, 1),
        "rows_per_s": round((lines - 1) / seconds) if seconds else 0,
        "baseline_rss_mb": round(baseline, 1),
        "peak_rss_mb": round(peak, 1),
        "extra_mb": round(peak - baseline, 1),
        "target_extra_mb": TARGET_EXTRA_MB,
        "met": peak - baseline < TARGET_EXTRA_MB,
    }


def measure_in_subprocess() -> dict:
    return child.measure_in_subprocess("bench.exports", RESULT_MARKER, "de l’export")


def summary(result: dict) -> str:
    def number(value: float, decimals: int = 0) -> str:
        return f"{value:,.{decimals}f}".replace(",", "\u202f").replace(".", ",")

    verdict = "atteint" if result["met"] else "manqué"
    return (
        f"Export CSV des visites de l’année : {number(result['rows'])} lignes, "
        f"{number(result['bytes'] / 1024 / 1024)} Mo en {number(result['seconds'], 1)} s "
        f"({number(result['rows_per_s'])} lignes/s) ; mémoire maximale {number(result['peak_rss_mb'])} Mo, dont "
        f"{number(result['extra_mb'])} Mo pour l’export (objectif < {result['target_extra_mb']} Mo : {verdict})."
    )


if __name__ == "__main__":
    figures = run()
    print(summary(figures))
    print(RESULT_MARKER + json.dumps(figures))
