"""The daily summary: incremental updates, rebuild, and the reads the statistics make."""

import datetime
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from accueil.models import Motif, Visit

from . import dimensions
from .models import DailyCount, Dimension

SummaryKey = tuple[int, datetime.date, str, str]


def visit_contribution(visit_id: int) -> Counter:
    """What the stored visit counts in the summary now (nothing once deleted): two queries."""
    visit = Visit._base_manager.select_related("commune" if dimensions.visit_has("commune") else None)
    visit = visit.filter(pk=visit_id).first()
    if visit is None:
        return Counter()
    through = Visit.motifs.through
    motif_ids = through.objects.filter(visit_id=visit_id).values("motif_id")
    motifs = list(Motif.objects.filter(pk__in=motif_ids).values_list(*dimensions.motif_values_fields()))
    if dimensions.motif_values_fields()[1] == "id":  # No group or theme on reasons yet.
        motifs = [(motif_id, "", None) for motif_id, *_ in motifs]
    return dimensions.visit_keys(visit, motifs)


def summary_apply(delta: Counter) -> None:
    """Add `delta` (summary key → change) to the summary, in the caller's transaction.

    One upsert; keys sorted so that two concurrent changes lock rows in the same order (no deadlock)."""
    changes = sorted((key, change) for key, change in delta.items() if change)
    if not changes:
        return
    table = DailyCount._meta.db_table
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(changes))
    params = [
        part for (maison, day, dimension, key), change in changes for part in (maison, day, dimension, key, change)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (maison_id, day, dimension, key, count) VALUES {values} "
            f"ON CONFLICT (maison_id, day, dimension, key) DO UPDATE SET count = {table}.count + EXCLUDED.count",
            params,
        )
        if any(change < 0 for _key, change in changes):
            touched = sorted({(maison, day) for (maison, day, _d, _k), _c in changes})
            cursor.execute(
                f"DELETE FROM {table} WHERE count = 0 AND (maison_id, day) IN ("
                + ", ".join(["(%s, %s)"] * len(touched))
                + ")",
                [part for pair in touched for part in pair],
            )


def _local_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def summary_rebuild(
    *, start: datetime.date | None = None, end: datetime.date | None = None, maison_ids: list[int] | None = None
) -> int:
    """Recompute the summary from the visits, for the local days start..end (both included; all days when not
    given) and the given Maisons (all when None). Idempotent; returns the number of summary rows written."""
    rows = DailyCount.objects.all()
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    if maison_ids is not None:
        rows = rows.filter(maison_id__in=maison_ids)
    rows._raw_delete(rows.db)
    through = Visit.motifs.through
    sql = dimensions.rebuild_sql(
        visit_table=connection.ops.quote_name(Visit._meta.db_table),
        through_table=connection.ops.quote_name(through._meta.db_table),
        through_visit=through._meta.get_field("visit").column,
        through_motif=through._meta.get_field("motif").column,
        motif_table=connection.ops.quote_name(Motif._meta.db_table),
        commune_table=connection.ops.quote_name("maisons_commune"),
    ).replace("{summary_table}", connection.ops.quote_name(DailyCount._meta.db_table))
    params = {
        "start": _local_start(start) if start else datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
        "end": _local_start(end + datetime.timedelta(days=1))
        if end
        else datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        "maisons": list(maison_ids) if maison_ids is not None else None,
        "tz": settings.TIME_ZONE,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


# Reads ----------------------------------------------------------------------------------------------------------


def _scope(maison_ids: list[int] | None, start: datetime.date, end: datetime.date):
    rows = DailyCount.objects.filter(day__gte=start, day__lte=end)
    if maison_ids is not None:
        rows = rows.filter(maison_id__in=maison_ids)
    return rows


def counts_by_dimension(maison_ids: list[int] | None, start: datetime.date, end: datetime.date) -> dict[str, Counter]:
    """{dimension: Counter(key → visits)} over the period: one query."""
    result: dict[str, Counter] = {dimension.value: Counter() for dimension in Dimension}
    rows = _scope(maison_ids, start, end).values_list("dimension", "key").annotate(total=Sum("count")).order_by()
    for dimension, key, total in rows:
        if total:
            result.setdefault(dimension, Counter())[key] = total
    return result


def visits_per_day(maison_ids: list[int] | None, start: datetime.date, end: datetime.date) -> dict[datetime.date, int]:
    rows = (
        _scope(maison_ids, start, end)
        .filter(dimension=Dimension.TOTAL)
        .values_list("day")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return dict(rows)


def counts_by_maison(maison_ids: list[int] | None, start: datetime.date, end: datetime.date, dimension: str) -> dict:
    """{maison_id: Counter(key → visits)} for one dimension (the report and the France Services export)."""
    result: dict[int, Counter] = {}
    rows = (
        _scope(maison_ids, start, end)
        .filter(dimension=dimension)
        .values_list("maison_id", "key")
        .annotate(total=Sum("count"))
        .order_by()
    )
    for maison_id, key, total in rows:
        if total:
            result.setdefault(maison_id, Counter())[key] = total
    return result
