"""Booking, moving and cancelling occupancies: the one way to write the calendar.

Invariant 1 (a room is never double-booked) is held by PostgreSQL's exclusion constraint; this module checks first
so that the usual case gets a clear message, and turns the constraint's refusal under a race into the same
`Conflict`. Each state change is journalled by django-auditlog (Occupancy is tracked) and announced on commit by
`events.signals.occupancy_changed`.
"""

import datetime
from dataclasses import dataclass

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from accounts import perms
from core.db import atomic_with_retry
from maisons import opening
from maisons.models import Maison, Room

from .enums import HOLDING_STATUSES, OccupancyKind, OccupancyStatus
from .models import Occupancy
from .signals import send_on_commit

EXCLUSION_CONSTRAINT = "occupancy_no_room_overlap"


def slot_text(start: datetime.datetime, end: datetime.datetime) -> str:
    """« le mardi 3 décembre 2026 de 10 h 00 à 11 h 00 », in Paris time."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return (
            f"le {opening.format_day(start.date(), year=True)} "
            f"de {opening.format_time(start)} à {opening.format_time(end)}"
        )
    return (
        f"du {opening.format_day(start.date(), year=True)} à {opening.format_time(start)} "
        f"au {opening.format_day(end.date(), year=True)} à {opening.format_time(end)}"
    )


def conflict_message(existing: Occupancy | None, viewer=None) -> str:
    if existing is None:
        return "Cette salle est déjà occupée sur ce créneau."
    room = existing.room.name if existing.room_id else "la salle"
    message = f"Ce créneau n’est pas libre : « {room} » est déjà occupée {slot_text(*_bounds(existing))}"
    if viewer is not None and perms.can_manage_portal(viewer):
        who = existing.holder.get_full_name() if existing.holder_id else ""
        detail = f"{existing.title}, {who}" if who else existing.title
        if existing.status == OccupancyStatus.PENDING:
            detail += ", demande en attente"
        message += f" ({detail})"
    elif existing.status == OccupancyStatus.PENDING:
        message += " (une demande en attente de validation retient ce créneau)"
    return message + "."


class Conflict(ValidationError):
    """The slot is taken: `existing` is the occupancy that holds it (None if it went away meanwhile)."""

    def __init__(self, existing: Occupancy | None, viewer=None):
        self.existing = existing
        super().__init__(conflict_message(existing, viewer), code="conflict")


def _bounds(occupancy: Occupancy) -> tuple[datetime.datetime, datetime.datetime]:
    return occupancy.period.lower, occupancy.period.upper


def conflicts(room: Room | int | None, start, end, *, exclude: Occupancy | None = None):
    """The occupancies that hold `room` during [start, end), first first."""
    if room is None:
        return Occupancy.objects.none()
    found = (
        Occupancy.objects.filter(room=room, status__in=HOLDING_STATUSES, period__overlap=DateTimeTZRange(start, end))
        .select_related("room", "holder")
        .order_by("period")
    )
    if exclude is not None and exclude.pk:
        found = found.exclude(pk=exclude.pk)
    return found


def first_conflict(room, start, end, *, exclude=None) -> Occupancy | None:
    return conflicts(room, start, end, exclude=exclude).first()


def outside_opening_hours(maison: Maison, start: datetime.datetime, end: datetime.datetime) -> bool:
    """True when [start, end) is not within one of the Maison's opening ranges of that day (closures and public
    holidays included). A Maison without known hours never says so."""
    schedule = maison.schedule()
    if not schedule.has_hours:
        return False
    start, end = opening.local_wall_clock(start), opening.local_wall_clock(end)
    if start.date() != end.date() and end.time() != datetime.time():
        return True
    for opens, closes in schedule.day(start.date()).ranges:
        if opens <= start.time() and (
            end.time() <= closes or (end.time() == datetime.time() and closes == datetime.time.max)
        ):
            return False
    return True


class OutsideHours(ValidationError):
    """The slot is outside the Maison's hours and the room warns (rather than refuses): confirm to go on."""


@dataclass
class Slot:
    room: Room | None
    maison: Maison
    start: datetime.datetime
    end: datetime.datetime


def check_slot(
    slot: Slot,
    *,
    expected_attendance: int | None = None,
    allow_past: bool = False,
    outside_hours_confirmed: bool = False,
    check_hours: bool = True,
) -> list[str]:
    """Refuse what can never be booked, with a French message; returns warnings the person accepted."""
    if slot.start is None or slot.end is None:
        raise ValidationError("Indiquez le début et la fin.", code="incomplete")
    if slot.end <= slot.start:
        raise ValidationError("La fin doit suivre le début.", code="end_before_start")
    if not allow_past and slot.start < timezone.now():
        raise ValidationError("Ce créneau est déjà passé : choisissez une date à venir.", code="past")
    room = slot.room
    if room is not None and room.maison_id != slot.maison.pk:
        raise ValidationError("Cette salle n’appartient pas à la Maison choisie.", code="wrong_maison")
    if room is not None and expected_attendance and expected_attendance > room.capacity:
        raise ValidationError(
            f"« {room.name} » accueille {room.capacity} personnes au plus ; vous en attendez {expected_attendance}.",
            code="over_capacity",
        )
    warnings = []
    if check_hours and outside_opening_hours(slot.maison, slot.start, slot.end):
        text = f"Ce créneau est en dehors des horaires d’ouverture de la {slot.maison.name}."
        policy = getattr(room, "outside_hours", "refuse") if room is not None else "warn"
        if policy == "refuse":
            raise ValidationError(text, code="outside_hours")
        if not outside_hours_confirmed:
            raise OutsideHours(text + " Confirmez pour réserver quand même.", code="outside_hours_warning")
        warnings.append(text)
    return warnings


def _write(work):
    """Run `work` in a transaction, again after a deadlock (atomic_with_retry) unless already inside one."""
    if connection.in_atomic_block:
        with transaction.atomic():
            return work()
    return atomic_with_retry(work)


def _save_holding_slot(occupancy: Occupancy, *, viewer=None, update_fields=None) -> None:
    """Save, turning the exclusion constraint's refusal (a race lost) into the same Conflict as the check."""
    try:
        _write(lambda: occupancy.save(update_fields=update_fields))
    except IntegrityError as error:
        if EXCLUSION_CONSTRAINT not in str(error):
            raise
        start, end = _bounds(occupancy)
        raise Conflict(first_conflict(occupancy.room_id, start, end, exclude=occupancy), viewer) from error


def book(
    *,
    kind: str,
    maison: Maison,
    room: Room | None,
    start: datetime.datetime,
    end: datetime.datetime,
    title: str,
    user=None,
    holder=None,
    booked_by=None,
    partner=None,
    event=None,
    category=None,
    is_public: bool = False,
    purpose: str = "",
    description: str = "",
    expected_attendance: int | None = None,
    all_day: bool = False,
    slug: str | None = None,
    recurrence_id: datetime.datetime | None = None,
    status: str | None = None,
    allow_past: bool = False,
    check_hours: bool = True,
    outside_hours_confirmed: bool = False,
) -> Occupancy:
    """Book a slot, or raise Conflict (the slot is held) or ValidationError (it can never be booked).

    A reservation of a room that requires approval is pending (it holds the slot until approved, refused or
    expired); everything else is confirmed. `user` is who acts (journal, and whether the message may name the
    holder of a conflicting booking).
    """
    slot = Slot(room=room, maison=maison, start=start, end=end)
    check_slot(
        slot,
        expected_attendance=expected_attendance,
        allow_past=allow_past,
        outside_hours_confirmed=outside_hours_confirmed,
        check_hours=check_hours,
    )
    if status is None:
        pending = kind == OccupancyKind.RESERVATION and getattr(room, "requires_approval", False)
        status = OccupancyStatus.PENDING if pending else OccupancyStatus.CONFIRMED
    if status in HOLDING_STATUSES and (existing := first_conflict(room, start, end)) is not None:
        raise Conflict(existing, user)
    occupancy = Occupancy(
        kind=kind,
        status=status,
        maison=maison,
        room=room,
        period=DateTimeTZRange(start, end),
        title=title,
        holder=holder,
        booked_by=booked_by,
        partner=partner,
        event=event,
        category=category,
        is_public=is_public,
        purpose=purpose,
        description=description,
        expected_attendance=expected_attendance,
        all_day=all_day,
        slug=slug,
        recurrence_id=recurrence_id,
    )
    occupancy.full_clean(validate_constraints=False)
    with set_actor(user) if user is not None else _nothing():
        _save_holding_slot(occupancy, viewer=user)
    send_on_commit(occupancy, "created")
    return occupancy


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def move(
    occupancy: Occupancy,
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    room: Room | None = None,
    user=None,
    allow_past: bool = False,
    check_hours: bool = False,
) -> Occupancy:
    """Move an occupancy (another time, another room of its Maison); its SEQUENCE grows for the calendars."""
    room = room if room is not None else occupancy.room
    check_slot(
        Slot(room=room, maison=occupancy.maison, start=start, end=end), allow_past=allow_past, check_hours=check_hours
    )
    if occupancy.holds_slot and (existing := first_conflict(room, start, end, exclude=occupancy)) is not None:
        raise Conflict(existing, user)
    occupancy.room = room
    occupancy.period = DateTimeTZRange(start, end)
    occupancy.sequence += 1
    with set_actor(user) if user is not None else _nothing():
        _save_holding_slot(occupancy, viewer=user)
    send_on_commit(occupancy, "moved")
    return occupancy


def _set_status(occupancy: Occupancy, status: str, change: str, *, user=None, reason: str = "") -> Occupancy:
    occupancy.status = status
    occupancy.sequence += 1
    fields = ["status", "sequence", "updated_at"]
    if reason:
        occupancy.cancellation_reason = reason.strip()
        fields.append("cancellation_reason")
    with set_actor(user) if user is not None else _nothing():
        _save_holding_slot(occupancy, viewer=user, update_fields=fields)
    send_on_commit(occupancy, change)
    return occupancy


def cancel(occupancy: Occupancy, *, user=None, reason: str = "") -> Occupancy:
    """Cancel: the slot is free again. An already cancelled, refused or expired occupancy is left as it is."""
    if not occupancy.holds_slot:
        return occupancy
    return _set_status(occupancy, OccupancyStatus.CANCELLED, "cancelled", user=user, reason=reason)


def approve(occupancy: Occupancy, *, user=None) -> Occupancy:
    if occupancy.status != OccupancyStatus.PENDING:
        raise ValidationError("Seule une demande en attente peut être acceptée.", code="not_pending")
    return _set_status(occupancy, OccupancyStatus.CONFIRMED, "confirmed", user=user)


def refuse(occupancy: Occupancy, *, user=None, reason: str = "") -> Occupancy:
    if occupancy.status != OccupancyStatus.PENDING:
        raise ValidationError("Seule une demande en attente peut être refusée.", code="not_pending")
    return _set_status(occupancy, OccupancyStatus.REFUSED, "refused", user=user, reason=reason)


def expire(occupancy: Occupancy) -> Occupancy:
    """A pending request left unanswered past its room's delay frees its slot (the approval task calls this)."""
    if occupancy.status != OccupancyStatus.PENDING:
        return occupancy
    return _set_status(occupancy, OccupancyStatus.EXPIRED, "expired")
