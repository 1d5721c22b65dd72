"""Elected officials' room reservations: the rules a room's settings add to booking (maisons.Room), series, expiry
of unanswered requests, and the author's e-mails.

The calendar itself is written by events/services.py (`book`, `cancel`, `approve`, `refuse`, `expire`), which holds
invariant 1 and turns a conflict into `Conflict`. This module adds what only reservations need: the room must be
bookable, not blocked (maisons.RoomBlock) and within its booking horizon; a series (weekly or every other week, up
to an end date) is booked whole or not at all; a pending request left unanswered past its room's delay (or until
its start) expires, which frees the slot. The author hears of each change through `events.signals.occupancy_changed`
(events/notifications.py puts the e-mails on the shared ledger; a series makes one).
"""

import datetime
import threading
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DateTimeField, DurationField, ExpressionWrapper, F, Q
from django.utils import timezone

from accounts import perms
from core.db import atomic_with_retry
from maisons import opening
from maisons.models import Room, RoomBlock

from . import services
from .enums import OccupancyKind, OccupancyStatus
from .models import Occupancy

PARIS = opening.PARIS
MAX_OCCURRENCES = 60  # A series longer than this is refused: more than a year of weekly meetings.


class Frequency:
    NONE = ""
    WEEKLY = "weekly"
    BIWEEKLY = "biweekly"
    CHOICES = [(NONE, "Une seule fois"), (WEEKLY, "Chaque semaine"), (BIWEEKLY, "Une semaine sur deux")]
    STEP = {WEEKLY: 7, BIWEEKLY: 14}


def occurrences(
    start: datetime.datetime, end: datetime.datetime, frequency: str = "", until: datetime.date | None = None
) -> list[tuple[datetime.datetime, datetime.datetime]]:
    """The slots of a series, in Paris wall-clock time: a weekly 10:00 stays 10:00 across the clock changes."""
    if not frequency:
        return [(start, end)]
    if until is None:
        raise ValidationError("Indiquez jusqu’à quand la réservation se répète.", code="until_missing")
    local_start, local_end = opening.local_wall_clock(start), opening.local_wall_clock(end)
    if until < local_start.date():
        raise ValidationError("La date de fin de la répétition précède le premier créneau.", code="until_before")
    step = datetime.timedelta(days=Frequency.STEP[frequency])
    slots = []
    while local_start.date() <= until:
        if len(slots) == MAX_OCCURRENCES:
            raise ValidationError(
                f"Une série compte au plus {MAX_OCCURRENCES} créneaux : choisissez une date de fin plus proche.",
                code="too_many",
            )
        slots.append((local_start.replace(tzinfo=PARIS), local_end.replace(tzinfo=PARIS)))
        local_start, local_end = local_start + step, local_end + step
    return slots


def check_room_rules(room: Room, start: datetime.datetime, end: datetime.datetime, *, now=None) -> None:
    """What the room's settings refuse: not bookable, beyond its horizon, or during one of its blocked periods."""
    now = now or timezone.now()
    if not room.is_active:
        raise ValidationError(f"La salle « {room.name} » n’est pas ouverte à la réservation.", code="inactive")
    limit = now + datetime.timedelta(days=room.booking_horizon_days)
    if start > limit:
        raise ValidationError(
            f"La salle « {room.name} » se réserve au plus {room.booking_horizon_days} "
            f"jour{'s' if room.booking_horizon_days > 1 else ''} à l’avance, "
            f"soit jusqu’au {opening.format_day(timezone.localdate(limit), year=True)}.",
            code="beyond_horizon",
        )
    block = RoomBlock.objects.filter(room=room).overlapping(start, end).order_by("starts_at").first()
    if block is not None:
        raise ValidationError(
            f"La salle « {room.name} » est indisponible {block.period_text} ({block.reason}).", code="blocked"
        )


@dataclass
class Booked:
    occupancies: list[Occupancy]

    @property
    def pending(self) -> bool:
        return any(occupancy.status == OccupancyStatus.PENDING for occupancy in self.occupancies)


# The occurrences of series being booked in this thread: their "created" changes make one e-mail, sent once the
# series is committed (on_commit callbacks run in the order they were registered, in the committing thread).
_grouped = threading.local()


def _grouped_pks() -> set[int]:
    if not hasattr(_grouped, "pks"):
        _grouped.pks = set()
    return _grouped.pks


def reservation_book(
    *,
    room: Room,
    start: datetime.datetime,
    end: datetime.datetime,
    purpose: str,
    expected_attendance: int,
    holder,
    booked_by=None,
    frequency: str = "",
    until: datetime.date | None = None,
    outside_hours_confirmed: bool = False,
) -> Booked:
    """Book `room` for `holder` (an official; `booked_by` their assistant, or themselves), once or as a series.

    A series is booked whole or not at all: the first occurrence that cannot be booked raises its message (a
    `services.Conflict` names the existing booking's time). Pending when the room requires approval.
    """
    slots = occurrences(start, end, frequency, until)
    for slot_start, slot_end in slots:
        if slot_end <= slot_start:
            break  # check_slot says so in French.
        check_room_rules(room, slot_start, slot_end)

    def work():
        booked = []
        for slot_start, slot_end in slots:
            occupancy = services.book(
                kind=OccupancyKind.RESERVATION,
                maison=room.maison,
                room=room,
                start=slot_start,
                end=slot_end,
                title=purpose.strip()[:200],
                purpose=purpose.strip(),
                expected_attendance=expected_attendance,
                holder=holder,
                booked_by=booked_by,
                user=booked_by or holder,
                outside_hours_confirmed=outside_hours_confirmed,
            )
            booked.append(occupancy)
        if len(booked) > 1:
            pks = [occupancy.pk for occupancy in booked]
            _grouped_pks().update(pks)
            transaction.on_commit(lambda: _send_series(pks))
        return Booked(booked)

    # Own transaction when the caller has none (the booking view): a deadlock between concurrent requests on the
    # exclusion constraint is run again (core.db), then ends as a clear Conflict.
    if connection.in_atomic_block:
        with transaction.atomic():  # A savepoint: a series refused halfway leaves nothing behind.
            return work()
    return atomic_with_retry(work)


def can_cancel(user, occupancy: Occupancy) -> bool:
    """An official cancels their own bookings; their assistant those of the officials they assist (whoever
    booked them); the project lead any."""
    if perms.can_manage_portal(user):
        return True
    allowed = {user.pk, *(official.pk for official in perms.assisted_officials(user))}
    return occupancy.holder_id in allowed


def bookings_of(user):
    """The reservations `user` may see in full: their own, and those of the officials they assist."""
    holders = [user.pk, *(official.pk for official in perms.assisted_officials(user))]
    return Occupancy.objects.filter(kind=OccupancyKind.RESERVATION, holder__in=holders)


def reservation_cancel(*, occupancy: Occupancy, user) -> Occupancy:
    if not occupancy.holds_slot:
        raise ValidationError("Cette réservation n’est déjà plus active.", code="not_active")
    if occupancy.period.upper <= timezone.now():
        raise ValidationError("Cette réservation est passée : elle ne peut plus être annulée.", code="past")
    return services.cancel(occupancy, user=user)


# Expiry of unanswered requests -------------------------------------------------------------------------------


def with_expiry(queryset):
    """Annotate `expires_at`: the request's creation plus its room's delay (hours); the start, if sooner, is
    applied by `expires_at()` and by `reservations_expire`."""
    delay = ExpressionWrapper(F("room__approval_delay") * datetime.timedelta(hours=1), output_field=DurationField())
    return queryset.annotate(
        answer_by=ExpressionWrapper(F("created_at") + delay, output_field=DateTimeField()),
    )


def expires_at(occupancy: Occupancy) -> datetime.datetime:
    answer_by = occupancy.created_at + datetime.timedelta(hours=occupancy.room.approval_delay)
    return min(answer_by, occupancy.period.lower)


def reservations_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire the pending requests whose delay has passed or whose slot has begun; each frees its slot and its
    author is told (occupancy_changed « expired »). Returns how many expired."""
    now = now or timezone.now()
    due = with_expiry(Occupancy.objects.filter(kind=OccupancyKind.RESERVATION, status=OccupancyStatus.PENDING)).filter(
        Q(answer_by__lte=now) | Q(period__startswith__lte=now)
    )
    count = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            occupancy = Occupancy.objects.select_for_update().filter(pk=pk, status=OccupancyStatus.PENDING).first()
            if occupancy is not None:
                services.expire(occupancy)
                count += 1
    return count


# The author's e-mails ----------------------------------------------------------------------------------------


def in_series(pk: int) -> bool:
    """Whether this booking is one of a series being booked in this thread (one e-mail for all: _send_series)."""
    return pk in _grouped_pks()


def _send_series(pks: list[int]) -> None:
    from .notifications import reservation_changed

    _grouped_pks().difference_update(pks)
    reservation_changed(list(Occupancy.objects.filter(pk__in=pks).select_related("holder", "booked_by")), "created")
