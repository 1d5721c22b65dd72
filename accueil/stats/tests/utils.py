"""Visits for the statistics' tests, written as the reception screen's service writes them (save, then reasons)."""

import datetime

from django.utils import timezone

from accueil.enums import Channel, MotifGroup, Outcome, Residence
from accueil.models import Motif, Visit

from ..models import DailyCount


def motif(label, group=MotifGroup.DEPARTEMENT, theme=None):
    return Motif.objects.get_or_create(label=label, defaults={"group": group, "theme": theme})[0]


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def visit(maison, *, motifs, occurred_at=None, **fields) -> Visit:
    fields.setdefault("channel", Channel.IN_PERSON)
    fields.setdefault("outcome", Outcome.ANSWERED)
    if fields.get("commune") is not None:
        fields.setdefault("residence", Residence.COMMUNE)
    created = Visit.objects.create(maison=maison, occurred_at=occurred_at or timezone.now(), **fields)
    created.motifs.set(motifs)
    return created


def summary() -> dict:
    """The summary's non-empty rows: (maison, day, dimension, key) → count."""
    return {
        (row.maison_id, row.day, row.dimension, row.key): row.count for row in DailyCount.objects.filter(count__gt=0)
    }


def recent_visits(maison, *, days: int = 40, per_day: int = 3) -> None:
    """A few visits a day over the last `days` days (weekdays), counted in the summary as the screen's would be."""
    from accueil.enums import Outcome as Outcomes

    reasons = [motif("Routes et déneigement"), motif("CAF : prestations familiales et logement", MotifGroup.PARTNERS)]
    today = timezone.localdate()
    for offset in range(days):
        day = today - datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for number in range(per_day):
            moment = min(at(day, 9 + 2 * number, 15), timezone.now() - datetime.timedelta(minutes=1))
            outcome = [Outcomes.ANSWERED, Outcomes.APPOINTMENT, Outcomes.CALL_BACK][number % 3]
            visit(
                maison,
                motifs=[reasons[(offset + number) % 2]],
                occurred_at=moment,
                outcome=outcome,
                channel=[Channel.IN_PERSON, Channel.PHONE][number % 2],
            )


def rollup() -> dict:
    """The monthly roll-up's non-empty rows: (maison, month, dimension, key) → count."""
    from ..models import MonthlyCount

    return {
        (row.maison_id, row.month, row.dimension, row.key): row.count
        for row in MonthlyCount.objects.filter(count__gt=0)
    }


def summary_by_month() -> dict:
    """The daily summary summed by month: what the roll-up must hold, row for row."""
    summed: dict = {}
    for (maison, day, dimension, key), count in summary().items():
        month_key = (maison, day.replace(day=1), dimension, key)
        summed[month_key] = summed.get(month_key, 0) + count
    return {key: count for key, count in summed.items() if count}
