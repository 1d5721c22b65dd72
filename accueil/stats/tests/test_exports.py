"""The visits' CSV export holds a batch of rows at a time, never the whole export: its peak memory does not grow
with the number of visits (issue 8: a million visits streamed in bounded memory; bench/exports.py measures it)."""

import datetime
import tracemalloc

from django.utils import timezone

from accueil.enums import Channel, Outcome
from accueil.models import Visit

from .. import exports
from .utils import motif


def _visits(maison, count: int) -> None:
    """`count` visits of `maison` yesterday, one second apart, with a reason each (bulk: only the export is read)."""
    reason = motif("Routes et déneigement")
    start = timezone.now() - datetime.timedelta(days=1, hours=2)
    visits = Visit.objects.bulk_create(
        Visit(
            maison=maison,
            occurred_at=start + datetime.timedelta(seconds=n),
            channel=Channel.PHONE,
            outcome=Outcome.ANSWERED,
        )
        for n in range(count)
    )
    Visit.motifs.through.objects.bulk_create(Visit.motifs.through(visit=visit, motif=reason) for visit in visits)


def _export(maison) -> tuple[int, int]:
    """(lines, peak bytes traced) of the streamed CSV export of `maison`'s visits, read chunk by chunk as a server
    writes them to the socket."""
    today = timezone.localdate()
    response = exports.csv_response(
        "visites", exports.visit_rows([maison.pk], today - datetime.timedelta(days=3), today)
    )
    lines = 0
    tracemalloc.start()
    try:
        for chunk in response.streaming_content:
            lines += chunk.count(b"\n")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return lines, peak


def test_the_visits_csv_peak_memory_does_not_grow_with_the_number_of_visits(
    maison_langres, maison_saint_dizier, monkeypatch, django_assert_max_num_queries
):
    # Many batches with few rows: ten times the visits, ten times the batches.
    monkeypatch.setattr(exports, "BATCH", 50)
    _visits(maison_langres, 100)
    _visits(maison_saint_dizier, 1000)
    _export(maison_langres)  # Once for what is loaded on first use (query compilation, labels).

    small_lines, small_peak = _export(maison_langres)
    # Two queries per batch (the rows, then their reasons) and one for the empty batch that ends it.
    with django_assert_max_num_queries(2 * 1000 // 50 + 2):
        large_lines, large_peak = _export(maison_saint_dizier)

    assert (small_lines, large_lines) == (1 + 100, 1 + 1000)  # The header, then one line per visit.
    # A whole export in memory would cost ten times more for ten times the visits; a batch at a time, the same.
    assert large_peak < 2 * small_peak
