"""Recurring events: RFC 5545 rules read in Paris wall-clock time, occurrences stored as Occupancy rows.

A series (events.Event) keeps its rule (`rrule`, e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU") and its first
occurrence's start and end. The rule is expanded with python-dateutil from a start in Europe/Paris: dateutil keeps
the wall-clock time and attaches the zone, so a series at 10:00 stays at 10:00 in March and October (09:00 UTC in
winter, 08:00 UTC in summer). Occurrences are real rows (the exclusion constraint, the queries and the feeds stay
simple) over a rolling horizon (EVENTS_RECURRENCE_HORIZON_DAYS), extended nightly by
`events.tasks.extend_recurrences_task`. An occurrence keeps its original start in `recurrence_id`: a regeneration
never writes it twice, and an occurrence edited on its own (`is_exception`) is never rewritten from the rule.
"""

import datetime
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from dateutil import rrule as du
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from . import services
from .enums import HOLDING_STATUSES, EventStatus, OccupancyStatus
from .models import Event, Occupancy

PARIS = ZoneInfo("Europe/Paris")
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
MAX_OCCURRENCES = 1000  # A rule is refused beyond this many occurrences in the horizon (a daily rule for years).


class Frequency:
    NONE = ""
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    MONTHLY_NTH_WEEKDAY = "monthly"

    choices = [
        (NONE, "une seule fois"),
        (WEEKLY, "chaque semaine"),
        (FORTNIGHTLY, "une semaine sur deux"),
        (MONTHLY_NTH_WEEKDAY, "chaque mois, le même jour de la semaine (ex. 2e mardi)"),
    ]


def horizon_days() -> int:
    return getattr(settings, "EVENTS_RECURRENCE_HORIZON_DAYS", 400)


def nth_weekday_of_month(day: datetime.date) -> int:
    """1 for the first Tuesday of its month, …, -1 when it is the last one (a 5th is always the last)."""
    nth = (day.day - 1) // 7 + 1
    return -1 if nth == 5 else nth


def build_rule(frequency: str, start: datetime.datetime, until: datetime.date | None = None) -> str:
    """The RRULE text (without "RRULE:") for a frequency chosen in a form, from the first occurrence's start."""
    if not frequency:
        return ""
    local = timezone.localtime(start, PARIS)
    code = WEEKDAY_CODES[local.weekday()]
    if frequency == Frequency.WEEKLY:
        parts = ["FREQ=WEEKLY", f"BYDAY={code}"]
    elif frequency == Frequency.FORTNIGHTLY:
        parts = ["FREQ=WEEKLY", "INTERVAL=2", f"BYDAY={code}"]
    elif frequency == Frequency.MONTHLY_NTH_WEEKDAY:
        parts = ["FREQ=MONTHLY", f"BYDAY={nth_weekday_of_month(local.date())}{code}"]
    else:
        raise ValueError(frequency)
    if until is not None:
        # RFC 5545: with a DTSTART in a time zone, UNTIL is in UTC; the series ends at the end of that local day.
        end = datetime.datetime.combine(until, datetime.time(23, 59, 59), PARIS).astimezone(datetime.UTC)
        parts.append(f"UNTIL={end:%Y%m%dT%H%M%SZ}")
    return ";".join(parts)


def describe_rule(rule: str) -> str:
    """The rule in French words, for the screens: « chaque semaine », « le 2e mardi de chaque mois »…"""
    if not rule:
        return "une seule fois"
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    days = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    text = rule
    byday = parts.get("BYDAY", "")
    code = byday[-2:]
    day = days[WEEKDAY_CODES.index(code)] if code in WEEKDAY_CODES else ""
    if parts.get("FREQ") == "WEEKLY":
        interval = parts.get("INTERVAL", "1")
        text = f"chaque {day}" if interval == "1" else f"un {day} sur {'deux' if interval == '2' else interval}"
    elif parts.get("FREQ") == "MONTHLY" and byday[:-2]:
        nth = int(byday[:-2])
        rank = "dernier" if nth == -1 else ("1er" if nth == 1 else f"{nth}e")
        text = f"le {rank} {day} de chaque mois"
    if "UNTIL" in parts:
        until = datetime.datetime.strptime(parts["UNTIL"][:8], "%Y%m%d").date()
        text += f", jusqu’au {until.day} {services.opening.MONTH_NAMES[until.month - 1]} {until.year}"
    return text


def validate_rule(rule: str, start: datetime.datetime) -> None:
    if not rule:
        return
    try:
        du.rrulestr(rule, dtstart=timezone.localtime(start, PARIS))
    except (ValueError, TypeError) as error:
        raise ValidationError("Cette règle de récurrence n’est pas valide.", code="invalid_rrule") from error


def occurrence_starts(event: Event, *, after: datetime.datetime, before: datetime.datetime) -> list[datetime.datetime]:
    """The starts (aware, UTC) of the series' occurrences in [after, before), exceptions removed."""
    first = timezone.localtime(event.start, PARIS)
    if not event.rrule:
        starts = [event.start] if after <= event.start < before else []
    else:
        rule = du.rrulestr(event.rrule, dtstart=first)
        starts = []
        for start in rule.xafter(after.astimezone(PARIS) - datetime.timedelta(seconds=1), inc=True):
            if start >= before:
                break
            # dateutil gives the wall-clock time with the zone attached: normalise to UTC (a 10:00 stays 10:00).
            starts.append(start.astimezone(datetime.UTC))
            if len(starts) > MAX_OCCURRENCES:
                raise ValidationError(
                    "Cette règle donne trop d’occurrences : espacez-les ou limitez la série.", code="too_many"
                )
    removed = {value.astimezone(datetime.UTC) for value in event.exdates}
    return [start for start in starts if start >= after and start not in removed]


def occurrence_end(event: Event, start: datetime.datetime) -> datetime.datetime:
    """Same wall-clock duration as the first occurrence (a 10:00–12:00 stays 10:00–12:00 across a change)."""
    first_start = timezone.localtime(event.start, PARIS).replace(tzinfo=None)
    first_end = timezone.localtime(event.end, PARIS).replace(tzinfo=None)
    local_start = timezone.localtime(start, PARIS).replace(tzinfo=None)
    return (local_start + (first_end - first_start)).replace(tzinfo=PARIS).astimezone(datetime.UTC)


def occurrence_slug(event: Event, start: datetime.datetime) -> str:
    if not event.rrule:
        return event.slug
    local = timezone.localtime(start, PARIS)
    return f"{event.slug}-{local:%Y-%m-%d}"


@dataclass
class PlannedOccurrence:
    start: datetime.datetime
    end: datetime.datetime
    conflict: Occupancy | None = None

    @property
    def text(self) -> str:
        return services.slot_text(self.start, self.end)


@dataclass
class Plan:
    occurrences: list[PlannedOccurrence] = field(default_factory=list)

    @property
    def conflicts(self) -> list[PlannedOccurrence]:
        return [occurrence for occurrence in self.occurrences if occurrence.conflict is not None]


def plan(event: Event, *, after: datetime.datetime | None = None, exclude_event: Event | None = None) -> Plan:
    """The occurrences the series would have up to the horizon, each with the occupancy it would clash with.

    `exclude_event`: a series being edited does not clash with its own occurrences.
    """
    after = after or timezone.now()
    before = timezone.now() + datetime.timedelta(days=horizon_days())
    result = Plan()
    starts = occurrence_starts(event, after=after, before=before)
    if not starts:
        return result
    ends = [occurrence_end(event, start) for start in starts]
    busy = []
    if event.room_id:
        busy = list(
            Occupancy.objects.filter(
                room_id=event.room_id,
                status__in=HOLDING_STATUSES,
                period__overlap=(starts[0], ends[-1]),
            )
            .select_related("room", "holder")
            .order_by("period")
        )
        if exclude_event is not None and exclude_event.pk:
            busy = [other for other in busy if other.event_id != exclude_event.pk]
    for start, end in zip(starts, ends, strict=True):
        clash = next((other for other in busy if other.period.lower < end and start < other.period.upper), None)
        result.occurrences.append(PlannedOccurrence(start=start, end=end, conflict=clash))
    return result


@dataclass
class Materialised:
    created: list[Occupancy] = field(default_factory=list)
    conflicts: list[tuple[PlannedOccurrence, services.Conflict]] = field(default_factory=list)


def occupancy_values(event: Event) -> dict:
    return {
        "kind": event.occupancy_kind,
        "title": event.title,
        "description": event.description,
        "maison": event.maison,
        "room": event.room,
        "category": event.category,
        "partner": event.partner,
        "is_public": event.is_public,
        "all_day": event.all_day,
    }


def materialise(event: Event, *, user=None, after: datetime.datetime | None = None) -> Materialised:
    """Write the series' missing occurrences up to the horizon; an occurrence whose slot is taken is skipped and
    reported (Conflict). Idempotent: an occurrence already written (its `recurrence_id`) is left alone."""
    result = Materialised()
    if event.status == EventStatus.CANCELLED:
        return result
    after = after or timezone.now()
    before = timezone.now() + datetime.timedelta(days=horizon_days())
    existing = set(event.occurrences.values_list("recurrence_id", flat=True))
    values = occupancy_values(event)
    for start in occurrence_starts(event, after=after, before=before):
        if start in existing:
            continue
        end = occurrence_end(event, start)
        try:
            occupancy = services.book(
                **values,
                start=start,
                end=end,
                event=event,
                slug=occurrence_slug(event, start),
                recurrence_id=start,
                user=user,
                allow_past=True,
                check_hours=False,
                status=OccupancyStatus.CONFIRMED,
            )
        except services.Conflict as conflict:
            result.conflicts.append((PlannedOccurrence(start, end, conflict.existing), conflict))
            continue
        result.created.append(occupancy)
    return result


def _bump(event: Event) -> None:
    event.sequence += 1
    event.save()


def save_series(event: Event, *, user=None) -> Materialised:
    """Create a series (or a single event) and write its occurrences."""
    event.full_clean()
    with transaction.atomic():
        event.save()
        return materialise(event, user=user)


def update_occurrence(
    occupancy: Occupancy,
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    room=None,
    title: str | None = None,
    user=None,
) -> Occupancy:
    """ "This occurrence": move or retitle one occurrence; it leaves the rule's hands (is_exception)."""
    with transaction.atomic():
        if title is not None and title != occupancy.title:
            occupancy.title = title
        occupancy.is_exception = True
        services.move(occupancy, start=start, end=end, room=room or occupancy.room, user=user)
    return occupancy


def cancel_occurrence(occupancy: Occupancy, *, reason: str, user=None) -> Occupancy:
    """ "This occurrence": cancelled, kept (the agenda shows it cancelled with the reason); never regenerated."""
    with transaction.atomic():
        occupancy.is_exception = True
        occupancy.save(update_fields=["is_exception"])
        return services.cancel(occupancy, user=user, reason=reason)


def _end_rule_before(rule: str, pivot: datetime.datetime) -> str:
    """The rule stopped just before `pivot` (UNTIL one second earlier, in UTC; COUNT replaced)."""
    parts = [part for part in rule.split(";") if not part.startswith(("UNTIL=", "COUNT="))]
    until = (pivot - datetime.timedelta(seconds=1)).astimezone(datetime.UTC)
    return ";".join([*parts, f"UNTIL={until:%Y%m%dT%H%M%SZ}"])


def _future_occurrences(event: Event, pivot: datetime.datetime):
    return event.occurrences.filter(recurrence_id__gte=pivot).order_by("recurrence_id")


def cancel_following(occupancy: Occupancy, *, reason: str, user=None) -> Event:
    """ "This and the following": the series stops before this occurrence; those from it on are cancelled (kept
    visible as cancelled, with the reason)."""
    event = occupancy.event
    pivot = occupancy.recurrence_id or occupancy.period.lower
    with transaction.atomic():
        if pivot <= event.start:
            return cancel_series(event, reason=reason, user=user)
        event.rrule = _end_rule_before(event.rrule, pivot)
        _bump(event)
        for later in _future_occurrences(event, pivot):
            services.cancel(later, user=user, reason=reason)
    return event


def cancel_series(event: Event, *, reason: str, user=None) -> Event:
    """The whole event is cancelled with a public reason; its upcoming occurrences are cancelled and stay shown."""
    if not reason.strip():
        raise ValidationError({"cancellation_reason": "Dites au public pourquoi l’événement est annulé."})
    with transaction.atomic():
        event.status = EventStatus.CANCELLED
        event.cancellation_reason = reason.strip()
        _bump(event)
        for occurrence in event.occurrences.filter(period__endswith__gt=timezone.now()):
            services.cancel(occurrence, user=user, reason=reason)
    return event


def split_series(occupancy: Occupancy, *, changes: dict, user=None) -> tuple[Event, Materialised]:
    """ "This and the following": the series ends before this occurrence and a new series, with `changes` (fields
    of Event: title, start, end, room…; `start`/`end` are the new times of this occurrence) carries on.

    The occurrences from this one on move to the new series in order (they keep their UID, and their
    registrations); those the new rule no longer has are cancelled, the ones it adds are written.
    """
    old = occupancy.event
    pivot = occupancy.recurrence_id or occupancy.period.lower
    with transaction.atomic():
        new = Event.objects.get(pk=old.pk)
        new.pk = None
        new.id = None
        new._state.adding = True
        new.slug = f"{old.slug}-{timezone.localtime(pivot, PARIS):%Y%m%d}"[:80]
        new.sequence = 0
        new.exdates = [value for value in old.exdates if value >= pivot]
        new.start, new.end = occupancy.period.lower, occupancy.period.upper
        for name, value in changes.items():
            setattr(new, name, value)
        count = re.search(r"COUNT=(\d+)", old.rrule)
        if count:  # The new series has what the old one had left.
            before = occurrence_starts(old, after=old.start, before=pivot)
            left = max(int(count.group(1)) - len(before), 1)
            new.rrule = re.sub(r"COUNT=\d+", f"COUNT={left}", old.rrule)
        new.full_clean()
        if pivot <= old.start:
            old.status, old.cancellation_reason = EventStatus.CANCELLED, "Remplacé par une nouvelle série."
            old.rrule = ""
        else:
            old.rrule = _end_rule_before(old.rrule, pivot)
        new.save()
        new.directions.set(old.directions.all())
        new.officials.set(old.officials.all())
        _bump(old)
        future = list(_future_occurrences(old, pivot).filter(status__in=HOLDING_STATUSES))
        starts = occurrence_starts(
            new, after=min(pivot, new.start), before=timezone.now() + datetime.timedelta(days=horizon_days())
        )
        values = occupancy_values(new)
        for index, later in enumerate(future):
            if index >= len(starts):
                services.cancel(later, user=user, reason="Retirée de la série.")
                continue
            start = starts[index]
            for name in ("title", "description", "category", "partner", "is_public"):
                setattr(later, name, values[name])
            later.event = new
            later.recurrence_id = start
            later.slug = occurrence_slug(new, start)
            later.save(
                update_fields=[
                    "title",
                    "description",
                    "category",
                    "partner",
                    "is_public",
                    "event",
                    "recurrence_id",
                    "slug",
                ]
            )
            services.move(
                later, start=start, end=occurrence_end(new, start), room=new.room, user=user, allow_past=True
            )
        result = materialise(new, user=user, after=min(pivot, new.start))
    return new, result


def update_series(event: Event, *, user=None) -> Materialised:
    """The whole series changed (title, room, times, rule): its upcoming occurrences follow, apart from those
    edited on their own; occurrences the rule no longer has are cancelled, new ones written."""
    now = timezone.now()
    with transaction.atomic():
        event.full_clean()
        _bump(event)
        starts = occurrence_starts(event, after=now, before=now + datetime.timedelta(days=horizon_days()))
        # An occurrence keeps its day: paired by local date with the rule's new start that day (its UID and its
        # registrations stay); a day the rule no longer has is cancelled.
        by_day = {timezone.localtime(start, PARIS).date(): start for start in starts}
        values = occupancy_values(event)
        upcoming = event.occurrences.filter(period__endswith__gt=now, is_exception=False, status__in=HOLDING_STATUSES)
        for occurrence in upcoming.order_by("period"):
            start = by_day.get(timezone.localtime(occurrence.recurrence_id or occurrence.period.lower, PARIS).date())
            if start is None:
                services.cancel(occurrence, user=user, reason="Retirée de la série.")
                continue
            for name in ("title", "description", "category", "partner", "is_public"):
                setattr(occurrence, name, values[name])
            occurrence.recurrence_id = start
            occurrence.save(
                update_fields=["title", "description", "category", "partner", "is_public", "recurrence_id"]
            )
            end = occurrence_end(event, start)
            if (occurrence.period.lower, occurrence.period.upper, occurrence.room_id) != (start, end, event.room_id):
                services.move(occurrence, start=start, end=end, room=event.room, user=user, allow_past=True)
        return materialise(event, user=user, after=now)


def extend_all() -> int:
    """The nightly extension of every live series to the horizon; returns how many occurrences were written."""
    written = 0
    for event in (
        Event.objects.exclude(status=EventStatus.CANCELLED)
        .exclude(rrule="")
        .select_related("maison", "room", "category", "partner")
    ):
        written += len(materialise(event).created)
    return written
