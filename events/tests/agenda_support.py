"""Building public events and their occurrences for the agenda, feed and registration tests (helper of those
tests: the planning services create them in the application)."""

import datetime
import itertools
from zoneinfo import ZoneInfo

from django.db.backends.postgresql.psycopg_any import DateTimeTZRange

from events.enums import Audience, CategoryKind, EventStatus, OccupancyKind, OccupancyStatus
from events.models import Category, Event, Occupancy
from maisons.tests.factories import RoomFactory
from partenaires.tests.factories import PartnerFactory

PARIS = ZoneInfo("Europe/Paris")
_numbers = itertools.count(1)


def paris(year, month, day, hour=10, minute=0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def soon(days: int, hour: int = 14) -> datetime.datetime:
    """`days` from now, at `hour` o'clock local time."""
    from django.utils import timezone

    return (timezone.localtime() + datetime.timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)


def category(kind=CategoryKind.WORKSHOP, name=None) -> Category:
    slug = f"{kind.replace('_', '-')}"
    return Category.objects.get_or_create(slug=slug, defaults={"name": name or kind.label.capitalize(), "kind": kind})[
        0
    ]


def public_event(
    maison,
    start: datetime.datetime,
    *,
    hours=2,
    title=None,
    room=True,
    status=EventStatus.PUBLISHED,
    audience=Audience.PUBLIC,
    capacity=None,
    registration=False,
    waiting_list=False,
    closes_at=None,
    kind=CategoryKind.WORKSHOP,
    reason="",
    occurrence_status=None,
) -> Occupancy:
    """One event with one occurrence, as the planning service would store it."""
    n = next(_numbers)
    title = title or f"Atelier numérique {n}"
    room = RoomFactory(maison=maison, name=f"Salle {n}") if room is True else room or None
    end = start + datetime.timedelta(hours=hours)
    event = Event.objects.create(
        title=title,
        slug=f"atelier-{n}",
        description="Apprendre à utiliser les démarches en ligne.",
        category=category(kind),
        audience=audience,
        status=status,
        cancellation_reason=reason,
        maison=maison,
        room=room,
        start=start,
        end=end,
        capacity=capacity,
        registration_enabled=registration,
        registration_closes_at=closes_at,
        waiting_list=waiting_list,
    )
    return occurrence(event, start, end, status=occurrence_status)


def occurrence(event: Event, start, end, *, status=None) -> Occupancy:
    cancelled = event.status == EventStatus.CANCELLED
    return Occupancy.objects.create(
        kind=event.occupancy_kind,
        status=status or (OccupancyStatus.CANCELLED if cancelled else OccupancyStatus.CONFIRMED),
        event=event,
        title=event.title,
        slug=f"{event.slug}-{start.astimezone(PARIS):%Y-%m-%d-%H%M}",
        description=event.description,
        maison=event.maison,
        room=event.room,
        period=DateTimeTZRange(start, end),
        is_public=event.is_public,
        category=event.category,
        partner=event.partner,
        cancellation_reason=event.cancellation_reason,
    )


def weekly_permanence(maison, first: datetime.datetime, weeks: int, *, partner=None, title="Permanence CAF"):
    """A partner's weekly permanence at the same local time, `weeks` occurrences (across DST changes)."""
    n = next(_numbers)
    partner = partner or PartnerFactory()
    room = RoomFactory(maison=maison, name=f"Bureau {n}")
    event = Event.objects.create(
        title=title,
        slug=f"permanence-{n}",
        category=category(CategoryKind.PARTNER_PERMANENCE),
        audience=Audience.PUBLIC,
        status=EventStatus.PUBLISHED,
        organiser="partner",
        partner=partner,
        maison=maison,
        room=room,
        start=first,
        end=first + datetime.timedelta(hours=2),
        rrule="FREQ=WEEKLY",
    )
    occurrences = []
    for week in range(weeks):
        day = (first.astimezone(PARIS) + datetime.timedelta(weeks=week)).date()
        start = datetime.datetime.combine(day, first.astimezone(PARIS).time(), tzinfo=PARIS)
        occurrences.append(occurrence(event, start, start + datetime.timedelta(hours=2)))
    return occurrences


def booking(maison, start, holder, *, booked_by=None, purpose="Réunion avec des habitants") -> Occupancy:
    room = RoomFactory(maison=maison, name=f"Salle réservée {next(_numbers)}")
    return Occupancy.objects.create(
        kind=OccupancyKind.RESERVATION,
        title="Réservation",
        maison=maison,
        room=room,
        period=DateTimeTZRange(start, start + datetime.timedelta(hours=1)),
        holder=holder,
        booked_by=booked_by,
        purpose=purpose,
    )


def internal_meeting(maison, start) -> Occupancy:
    n = next(_numbers)
    room = RoomFactory(maison=maison, name=f"Salle de réunion {n}")
    return Occupancy.objects.create(
        kind=OccupancyKind.MEETING,
        title=f"Réunion d’équipe {n}",
        maison=maison,
        room=room,
        period=DateTimeTZRange(start, start + datetime.timedelta(hours=1)),
    )
