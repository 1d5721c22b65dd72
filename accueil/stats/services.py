"""The daily summary and its monthly roll-up: incremental updates, rebuild, and the reads the statistics make."""

import datetime
import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from accueil.models import Motif, Visit

from . import dimensions
from .models import DailyCount, Dimension, MonthlyCount

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
    """Add `delta` (summary key → change) to the daily summary and its monthly roll-up, in the caller's transaction.

    One statement upserts both tables (a data-modifying WITH), so that the roll-up can never drift from the days;
    a second one removes the rows a decrement emptied. Keys are sorted so that two concurrent changes lock rows in
    the same order (no deadlock); the roll-up's rows are summed by month first, as one upsert may not touch a row
    twice."""
    changes = sorted((key, change) for key, change in delta.items() if change)
    if not changes:
        return
    summary_changed({(maison, day) for (maison, day, _dimension, _key), _change in changes})
    daily, monthly = _tables()
    values = ", ".join(["(%s::bigint, %s::date, %s::varchar, %s::varchar, %s::integer)"] * len(changes))
    params = [
        part for (maison, day, dimension, key), change in changes for part in (maison, day, dimension, key, change)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH delta (maison_id, day, dimension, key, change) AS (VALUES {values}), "
            f"daily AS (INSERT INTO {daily} (maison_id, day, dimension, key, count) "
            "SELECT maison_id, day, dimension, key, change FROM delta ORDER BY maison_id, day, dimension, key "
            f"ON CONFLICT (maison_id, day, dimension, key) DO UPDATE SET count = {daily}.count + EXCLUDED.count) "
            f"INSERT INTO {monthly} (maison_id, month, dimension, key, count) "
            "SELECT maison_id, date_trunc('month', day)::date, dimension, key, sum(change) FROM delta "
            "GROUP BY 1, 2, 3, 4 HAVING sum(change) <> 0 ORDER BY 1, 2, 3, 4 "
            f"ON CONFLICT (maison_id, month, dimension, key) DO UPDATE SET count = {monthly}.count + EXCLUDED.count",
            params,
        )
        if any(change < 0 for _key, change in changes):
            days = sorted({(maison, day) for (maison, day, _d, _k), _c in changes})
            months = sorted({(maison, day.replace(day=1)) for maison, day in days})
            cursor.execute(
                f"WITH daily AS (DELETE FROM {daily} WHERE count = 0 AND (maison_id, day) IN ("
                + ", ".join(["(%s::bigint, %s::date)"] * len(days))
                + f")) DELETE FROM {monthly} WHERE count = 0 AND (maison_id, month) IN ("
                + ", ".join(["(%s::bigint, %s::date)"] * len(months))
                + ")",
                [part for pair in [*days, *months] for part in pair],
            )


def _tables() -> tuple[str, str]:
    return (
        connection.ops.quote_name(DailyCount._meta.db_table),
        connection.ops.quote_name(MonthlyCount._meta.db_table),
    )


def _month_after(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _local_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@transaction.atomic
def summary_rebuild(
    *, start: datetime.date | None = None, end: datetime.date | None = None, maison_ids: list[int] | None = None
) -> int:
    """Recompute the summary from the visits, for the local days start..end (both included; all days when not
    given) and the given Maisons (all when None), and the monthly roll-up of the months these days fall in (from the
    rebuilt days and the untouched days of the edge months). Idempotent; returns the number of daily rows written.
    Two statements: one deletion of both tables' rows, one insertion of both."""
    first_month = start.replace(day=1) if start else None
    months_end = _month_after(end) if end else None
    daily, monthly = _tables()
    maisons = list(maison_ids) if maison_ids is not None else None
    bounds = {
        "start_day": start or datetime.date(1, 1, 1),
        "end_day": end + datetime.timedelta(days=1) if end else datetime.date(9999, 1, 1),
        "first_month": first_month or datetime.date(1, 1, 1),
        "months_end": months_end or datetime.date(9999, 1, 1),
        "maisons": maisons,
    }
    scope = "(%(maisons)s::bigint[] IS NULL OR maison_id = ANY(%(maisons)s::bigint[]))"
    through = Visit.motifs.through
    sql = dimensions.rebuild_sql(
        visit_table=connection.ops.quote_name(Visit._meta.db_table),
        through_table=connection.ops.quote_name(through._meta.db_table),
        through_visit=through._meta.get_field("visit").column,
        through_motif=through._meta.get_field("motif").column,
        motif_table=connection.ops.quote_name(Motif._meta.db_table),
        commune_table=connection.ops.quote_name("maisons_commune"),
    )
    # The daily rows written come back (RETURNING) to be summed by month with the edge months' other days, which
    # this statement's snapshot still sees: the roll-up never reads a half-written summary.
    sql += f"""RETURNING maison_id, day, dimension, key, count
), monthly AS (
INSERT INTO {monthly} (maison_id, month, dimension, key, count)
SELECT maison_id, date_trunc('month', day)::date, dimension, key, sum(count) FROM (
    SELECT maison_id, day, dimension, key, count FROM written
    UNION ALL
    SELECT maison_id, day, dimension, key, count FROM {daily}
    WHERE day >= %(first_month)s AND day < %(months_end)s AND (day < %(start_day)s OR day >= %(end_day)s)
      AND {scope}
) rows GROUP BY 1, 2, 3, 4 HAVING sum(count) <> 0
)
SELECT count(*) FROM written"""
    params = {
        "start": _local_start(start) if start else datetime.datetime(1, 1, 2, tzinfo=datetime.UTC),
        "end": _local_start(end + datetime.timedelta(days=1))
        if end
        else datetime.datetime(9999, 1, 1, tzinfo=datetime.UTC),
        "tz": settings.TIME_ZONE,
        **bounds,
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH daily AS (DELETE FROM {daily} WHERE day >= %(start_day)s AND day < %(end_day)s AND {scope}) "
            f"DELETE FROM {monthly} WHERE month >= %(first_month)s AND month < %(months_end)s AND {scope}",
            bounds,
        )
        cursor.execute(sql.replace("{summary_table}", daily), params)
        written = cursor.fetchone()[0]
    _new_generation(EPOCH_KEY)
    return written


# Reads ----------------------------------------------------------------------------------------------------------
# A period reads its whole months from the monthly roll-up and only the days of its partial months (at its edges)
# from the daily summary (split_period).

Span = tuple[datetime.date, datetime.date]


@dataclass(frozen=True)
class PeriodPlan:
    """How to read a period exactly: the roll-up's `months`, plus the days `added`, minus the days `subtracted`
    (the rest of an edge month read whole when that is fewer days than its part in the period). Each range is
    [first, after the last)."""

    months: list[Span]
    added: list[Span]
    subtracted: list[Span]


def split_period(start: datetime.date, end: datetime.date) -> PeriodPlan:
    """The reads that sum to start..end (both included): whole months from the roll-up; a partial month at an edge
    from its days, or, when it covers more than half of its month, as the whole month less its other days. A
    period's days are then at most half a month at each edge."""
    after_end = end + datetime.timedelta(days=1)
    months: list[Span] = []
    added: list[Span] = []
    subtracted: list[Span] = []
    month = start.replace(day=1)
    while month < after_end:
        following = _month_after(month)
        first, last = max(start, month), min(after_end, following)
        covered, rest = (last - first).days, (following - month).days - (last - first).days
        if rest and covered <= rest:
            added.append((first, last))
        else:
            if months and months[-1][1] == month:
                months[-1] = (months[-1][0], following)
            else:
                months.append((month, following))
            subtracted += [(low, high) for low, high in ((month, first), (last, following)) if low < high]
        month = following
    return PeriodPlan(months, added, subtracted)


def _period_rows(
    maison_ids: list[int] | None,
    start: datetime.date,
    end: datetime.date,
    *,
    tag: int = 0,
    dimensions: list[str] | None = None,
    by_maison: bool = False,
    series: bool = False,
    summed: bool = False,
    days_only: bool = False,
) -> tuple[list[str], list]:
    """SELECTs of (span tag, Maison or NULL, dimension, key, bucket or NULL, count) over the period, to UNION ALL:
    one on the roll-up for the whole months, one on the days added, one on the days subtracted (negative counts).
    `bucket` is the day or month of the total's rows when `series` (a subtracted day counts in its month). `summed`:
    each part sums its rows itself (see `_summed`). `days_only`: read every day from the daily summary (today and
    after: the month's roll-up would bring the whole month back)."""
    plan = split_period(start, end)
    if days_only:
        plan = PeriodPlan([], [(start, end + datetime.timedelta(days=1))], [])
    daily, monthly = _tables()
    selects, params = [], []

    def select(table, ranges, column, *, bucket_column=None, sign=""):
        condition = " OR ".join([f"({column} >= %s AND {column} < %s)"] * len(ranges))
        filters = [f"({condition})"]
        values = [tag, *(part for span in ranges for part in span)]
        if maison_ids is not None:
            filters.append("maison_id = ANY(%s)")
            values.append(list(maison_ids))
        if dimensions is not None:
            filters.append("dimension = ANY(%s)")
            values.append([str(dimension) for dimension in dimensions])
        maison = "maison_id" if by_maison else "NULL::bigint"
        bucket = f"CASE WHEN dimension = 'total' THEN {bucket_column or column} END" if series else "NULL::date"
        count, group = ("sum(count)", " GROUP BY 2, 3, 4, 5") if summed else ("count", "")
        selects.append(
            f"SELECT %s AS span, {maison} AS maison, dimension, key, {bucket} AS bucket, {sign}{count} AS count "
            f"FROM {table} WHERE {' AND '.join(filters)}{group}"
        )
        params.extend(values)

    if plan.months:
        select(monthly, plan.months, "month")
    if plan.added:
        select(daily, plan.added, "day")
    if plan.subtracted:
        select(daily, plan.subtracted, "day", bucket_column="date_trunc('month', day)::date", sign="-")
    return selects, params


def _summed(periods: list[Span]) -> bool:
    """Whether each part of the query should sum its own rows: when some are read from the days. One aggregate
    over the parts' rows is then estimated too large to hash, and PostgreSQL sorts them on disk (0.8 s against
    0.3 s over 100 Maisons for a period with long edges); whole months alone are fastest as one aggregate, which a
    parallel scan of the roll-up shares between workers (0.15 s against 0.2 s for a year)."""
    plans = [split_period(start, end) for start, end in periods]
    return any(plan.added or plan.subtracted for plan in plans)


def _aggregate(parts: list[tuple[list[str], list]]) -> list[tuple]:
    """(span, maison, dimension, key, bucket, total) over the UNION ALL of `parts`: one query."""
    selects = [select for part_selects, _params in parts for select in part_selects]
    params = [param for _selects, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT span, maison, dimension, key, bucket, sum(count) FROM ("
            + " UNION ALL ".join(selects)
            + ") rows GROUP BY span, maison, dimension, key, bucket",
            params,
        )
        return cursor.fetchall()


def period_counts(
    maison_ids: list[int] | None, periods: list[Span], *, series: bool = False
) -> tuple[list[dict[str, Counter]], dict[datetime.date, int]]:
    """For each (start, end) of `periods` (both days included), {dimension: Counter(key → visits)}; and when
    `series`, the first period's visits per month for its whole months and per day at its edges (what a chart by
    month needs). The days before today come from the cache of closed days when it has them (one query otherwise),
    today and after from one query on the daily summary."""
    results: list[dict[str, Counter]] = [{dimension.value: Counter() for dimension in Dimension} for _ in periods]
    per_bucket: dict[datetime.date, int] = Counter()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    closed = [(tag, start, min(end, yesterday)) for tag, (start, end) in enumerate(periods) if start <= yesterday]
    today = yesterday + datetime.timedelta(days=1)
    current = [(tag, max(start, today), end) for tag, (start, end) in enumerate(periods) if end >= today]
    rows = _closed_rows(maison_ids, closed, series) if closed else []
    if current:
        rows += _rows(maison_ids, current, series, days_only=True)
    for tag, dimension, key, bucket, total in rows:
        if total:
            results[tag].setdefault(dimension, Counter())[key] += total
            if bucket is not None:
                per_bucket[bucket] += total
    return results, dict(per_bucket)


def _rows(maison_ids, spans: list[tuple[int, datetime.date, datetime.date]], series: bool, *, days_only=False):
    """(tag, dimension, key, bucket, total) over these tagged spans: one query."""
    summed = days_only or _summed([(start, end) for _tag, start, end in spans])
    parts = [
        _period_rows(maison_ids, start, end, tag=tag, series=series and tag == 0, summed=summed, days_only=days_only)
        for tag, start, end in spans
    ]
    return [(tag, dimension, key, bucket, total) for tag, _maison, dimension, key, bucket, total in _aggregate(parts)]


# The cache of closed days ---------------------------------------------------------------------------------------
# Before today, a period's figures change only when a visit of those days is logged late, corrected or deleted, or
# when the summary is rebuilt. Their rows are kept in the shared cache (Redis in production: every web process
# reads what one computed) under a generation per month, which summary_apply renews for the months of such days,
# and an epoch that summary_rebuild renews; today's rows are always read live. The generations are renewed when the
# change is written and again once it is committed, so that a figure read meanwhile by another request (before the
# commit, without the change) is never kept under the final generation.

CACHE_PREFIX = "accueil-stats"
EPOCH_KEY = f"{CACHE_PREFIX}:epoch"
CLOSED_DAYS_CACHE_SECONDS = 24 * 3600  # Whatever happens, at most a day: the span of "closed days" moves daily.


def _month_key(month: datetime.date) -> str:
    return f"{CACHE_PREFIX}:month:{month:%Y-%m}"


def _new_generation(*keys: str) -> None:
    def renew():
        cache.set_many({key: uuid.uuid4().hex for key in keys}, timeout=None)

    renew()
    transaction.on_commit(renew)


def _current_key(maison_id: int | None) -> str:
    return f"{CACHE_PREFIX}:today:{'all' if maison_id is None else maison_id}"


def summary_changed(maison_days) -> None:
    """The counts of these (Maison, local day) pairs changed: renew the generations of the closed months they fall
    in (the cache of closed days) and, for today, those of their Maisons and of all Maisons (the figures of a
    period that includes today, see `figures_version`)."""
    today = timezone.localdate()
    months = sorted({day.replace(day=1) for _maison, day in maison_days if day < today})
    current = sorted({maison for maison, day in maison_days if day >= today})
    keys = [_month_key(month) for month in months]
    if current:
        keys += [_current_key(None), *(_current_key(maison) for maison in current)]
    if keys:
        _new_generation(*keys)


def _closed_months(periods: list[Span]) -> list[datetime.date]:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    months: set[datetime.date] = set()
    for start, end in periods:
        month = start.replace(day=1)
        while month <= min(end, yesterday):
            months.add(month)
            month = _month_after(month)
    return sorted(months)


def _closed_keys(periods: list[Span]) -> list[str]:
    """The generations the closed days of these periods depend on: the epoch and their months'."""
    return [EPOCH_KEY, *(_month_key(month) for month in _closed_months(periods))]


def figures_version(maison_ids: list[int] | None, periods: list[Span]) -> str:
    """A text that changes whenever the figures of these periods for these Maisons (None: all) may change: the day,
    the summary's epoch, the generation of each closed month they cover and, when one reaches today, today's
    generation of these Maisons. What a page computed from the figures can be cached under (accueil/stats/views)."""
    today = timezone.localdate()
    keys = _closed_keys(periods)
    if any(end >= today for _start, end in periods):
        keys += [_current_key(None)] if maison_ids is None else [_current_key(pk) for pk in sorted(set(maison_ids))]
    return f"{today}|{'|'.join(_generations(keys))}"


def _generations(keys: list[str]) -> list[str]:
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        # Never seen, or evicted: a new generation, so that nothing cached under an older one can come back.
        for key, value in missing.items():
            cache.add(key, value, timeout=None)
        found.update(cache.get_many(list(missing)))
    return [str(found.get(key, "")) for key in keys]


def scope_text(maison_ids: list[int] | None) -> str:
    return "all" if maison_ids is None else ",".join(str(pk) for pk in sorted(set(maison_ids)))


def cached(kind: str, what: str, compute, seconds: int):
    """`compute()`, kept `seconds` in the shared cache under `what` (which holds the generations it depends on)."""
    key = f"{CACHE_PREFIX}:{kind}:{hashlib.sha256(what.encode()).hexdigest()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=seconds)
    return value


def _closed_rows(maison_ids, spans, series: bool):
    generations = _generations(_closed_keys([(start, end) for _tag, start, end in spans]))
    what = f"{scope_text(maison_ids)}|{spans}|{series}|{'|'.join(generations)}"
    return list(cached("rows", what, lambda: _rows(maison_ids, spans, series), CLOSED_DAYS_CACHE_SECONDS))


def counts_by_dimension(maison_ids: list[int] | None, start: datetime.date, end: datetime.date) -> dict[str, Counter]:
    """{dimension: Counter(key → visits)} over the period: one query."""
    return period_counts(maison_ids, [(start, end)])[0][0]


def visits_per_day(maison_ids: list[int] | None, start: datetime.date, end: datetime.date) -> dict[datetime.date, int]:
    """Visits per day, from the daily summary only (a chart by day or week)."""
    rows = (
        DailyCount.objects.filter(day__gte=start, day__lte=end, dimension=Dimension.TOTAL)
        .filter(**({"maison_id__in": maison_ids} if maison_ids is not None else {}))
        .values_list("day")
        .annotate(total=Sum("count"))
        .order_by()
    )
    return dict(rows)


def counts_by_maison(
    maison_ids: list[int] | None, start: datetime.date, end: datetime.date, dimensions: list[str]
) -> dict[str, dict[int, Counter]]:
    """{dimension: {maison_id: Counter(key → visits)}} for these dimensions (the report and the France Services
    export): one query."""
    result: dict[str, dict[int, Counter]] = {str(dimension): {} for dimension in dimensions}
    part = _period_rows(maison_ids, start, end, dimensions=dimensions, by_maison=True, summed=_summed([(start, end)]))
    for _tag, maison_id, dimension, key, _bucket, total in _aggregate([part]):
        if total:
            result[dimension].setdefault(maison_id, Counter())[key] += total
    return result
