"""Elected officials' room reservations (/reservations/…) and the project lead's approvals
(/gestion/reservations/…).

The grid shows a week of each room of one Maison as real tables (a row per hour, a column per day, headers with
`scope`): a free slot is a link whose accessible name says which room, day and hours it books; a busy one says
« occupé », and only staff read what and who. A booking is made in two steps: the slot, then its purpose (form).
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import perms
from accounts.enums import Role
from accounts.mixins import permission_required
from maisons import opening
from maisons.enums import OutsideHours
from maisons.models import Maison, Room, RoomBlock

from . import reservations, services
from .enums import HOLDING_STATUSES, OccupancyKind, OccupancyStatus
from .models import Occupancy
from .reservation_forms import BookingForm, RefusalForm

PARIS = opening.PARIS
FIRST_HOUR, LAST_HOUR = 8, 20  # The grid's hourly rows: 8 h – 9 h … 19 h – 20 h.
SHORT_DAYS = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=PARIS)


def _hours(start: int, end: int) -> str:
    return f"{start} h – {end} h"


def _monday(request) -> datetime.date:
    today = timezone.localdate()
    try:
        day = datetime.date.fromisoformat(request.GET.get("semaine", ""))
    except ValueError:
        day = today
    if abs((day - today).days) > 3 * 366:
        day = today
    return day - datetime.timedelta(days=day.weekday())


def _can_hold(user) -> bool:
    return user.has_role(Role.ELECTED, Role.PROJECT_LEAD)


def _holders(user) -> list:
    return ([user] if _can_hold(user) else []) + perms.assisted_officials(user)


def _cell(room, day, hour, *, now, schedule_day, occupancies, blocks, mine, staff):
    start, end = _at(day, hour), _at(day, hour + 1)
    label = f"{room.name}, {opening.format_day(day)}, {_hours(hour, hour + 1)}"
    for occupancy in occupancies:
        if occupancy.period.lower < end and start < occupancy.period.upper:
            pending = occupancy.status == OccupancyStatus.PENDING
            if occupancy.holder_id in mine:
                text = "Votre demande (en attente)" if pending else "Votre réservation"
                return {"state": "mine", "text": text, "label": label}
            if staff:
                who = f", {occupancy.holder}" if occupancy.holder_id else ""
                detail = f"{occupancy.title}{who}{' (en attente)' if pending else ''}"
                return {"state": "busy", "text": "occupé", "detail": detail, "label": label}
            return {"state": "busy", "text": "occupé", "label": label}
    for block in blocks:
        if block.starts_at < end and start < block.ends_at:
            return {"state": "blocked", "text": "indisponible", "detail": block.reason, "label": label}
    if end <= now:
        return {"state": "past", "text": "passé", "label": label}
    if start > now + datetime.timedelta(days=room.booking_horizon_days):
        return {"state": "closed", "text": "pas encore ouvert", "label": label}
    open_now = any(opens <= start.time() and end.time() <= closes for opens, closes in schedule_day.ranges)
    if not open_now and room.outside_hours == OutsideHours.REFUSE:
        return {"state": "closed", "text": "fermé", "label": label}
    query = f"salle={room.pk}&debut={start.strftime('%Y-%m-%dT%H:%M')}&fin={end.strftime('%H:%M')}"
    return {
        "state": "free",
        "text": "Réserver" if open_now else "Réserver (hors horaires)",
        "label": f"Réserver la salle {label}" + ("" if open_now else ", en dehors des horaires d’ouverture"),
        "url": reverse("events:booking_create") + "?" + query,
    }


@require_safe
@permission_required(perms.can_book_rooms)
def bookings(request):
    """The week's availability grid of one Maison's rooms, with week and Maison navigation."""
    maisons = list(
        Maison.objects.with_schedule().prefetch_related(
            Prefetch("rooms", queryset=Room.objects.filter(is_active=True).order_by("name"), to_attr="bookable")
        )
    )
    if not maisons:
        return render(request, "events/reservations/grid.html", {"maisons": [], "maison": None, "rooms": []})
    slug = request.GET.get("maison")
    maison = next((item for item in maisons if item.slug == slug), maisons[0])
    monday = _monday(request)
    days = [monday + datetime.timedelta(days=offset) for offset in range(7)]
    week_start, week_end = _at(monday, 0), _at(monday + datetime.timedelta(days=7), 0)
    rooms = maison.bookable
    staff = perms.can_manage_portal(request.user)
    found = Occupancy.objects.filter(
        room__in=rooms, status__in=HOLDING_STATUSES, period__overlap=DateTimeTZRange(week_start, week_end)
    )
    if staff:
        found = found.select_related("holder")
    by_room: dict[int, list] = {}
    for occupancy in found:
        by_room.setdefault(occupancy.room_id, []).append(occupancy)
    blocks_by_room: dict[int, list] = {}
    for block in RoomBlock.objects.filter(room__in=rooms).overlapping(week_start, week_end):
        blocks_by_room.setdefault(block.room_id, []).append(block)
    schedule = maison.schedule()
    schedule_days = {day: schedule.day(day) for day in days}
    now = timezone.now()
    mine = {request.user.pk, *(official.pk for official in perms.assisted_officials(request.user))}
    tables = []
    for room in rooms:
        rows = []
        for hour in range(FIRST_HOUR, LAST_HOUR):
            cells = [
                _cell(
                    room,
                    day,
                    hour,
                    now=now,
                    schedule_day=schedule_days[day],
                    occupancies=by_room.get(room.pk, []),
                    blocks=blocks_by_room.get(room.pk, []),
                    mine=mine,
                    staff=staff,
                )
                for day in days
            ]
            rows.append({"hours": _hours(hour, hour + 1), "cells": cells})
        tables.append({"room": room, "rows": rows})
    context = {
        "maisons": maisons,
        "maison": maison,
        "tables": tables,
        "days": [
            {"short": f"{SHORT_DAYS[day.weekday()]} {day.day}", "long": opening.format_day(day), "date": day}
            for day in days
        ],
        "week_label": f"du {opening.format_day(monday, weekday=False)} au "
        f"{opening.format_day(days[-1], weekday=False, year=True)}",
        "previous_week": (monday - datetime.timedelta(days=7)).isoformat(),
        "next_week": (monday + datetime.timedelta(days=7)).isoformat(),
        "this_week": monday.isoformat(),
        "staff": staff,
    }
    return render(request, "events/reservations/grid.html", context)


def _slot_initial(request) -> dict:
    initial = {}
    try:
        start = datetime.datetime.fromisoformat(request.GET.get("debut", ""))
        initial.update(date=start.date(), start_time=start.time())
        initial["end_time"] = datetime.time.fromisoformat(request.GET.get("fin", ""))
    except ValueError:
        pass
    return initial


# Which form field a service's refusal belongs to (its code), so that the message is read with the field.
ERROR_FIELDS = {
    "over_capacity": "expected_attendance",
    "past": "date",
    "end_before_start": "end_time",
    "beyond_horizon": "date",
    "until_missing": "until",
    "until_before": "until",
    "too_many": "until",
    "outside_hours_warning": "confirm_outside_hours",
}


@transaction.non_atomic_requests  # reservations.reservation_book runs its own transaction, retried on deadlock.
@require_http_methods(["GET", "HEAD", "POST"])
@permission_required(perms.can_book_rooms)
def booking_create(request):
    """Step 2: confirm the slot picked in the grid with its purpose, the number of people and a repetition."""
    room_id = request.POST.get("room") if request.method == "POST" else request.GET.get("salle")
    if request.method != "POST" and not room_id:
        return redirect("events:bookings")  # A slot is picked in the grid first.
    try:
        room = get_object_or_404(Room.objects.select_related("maison"), pk=int(room_id or ""), is_active=True)
    except ValueError:
        raise Http404 from None
    holders = _holders(request.user)
    form = BookingForm(
        request.POST if request.method == "POST" else None,
        room=room,
        holders=holders,
        initial={**_slot_initial(request), "holder": holders[0].pk},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        holder = data["holder_user"]
        try:
            booked = reservations.reservation_book(
                room=room,
                start=data["start"],
                end=data["end"],
                purpose=data["purpose"],
                expected_attendance=data["expected_attendance"],
                holder=holder,
                booked_by=request.user,
                frequency=data.get("frequency") or "",
                until=data.get("until"),
                outside_hours_confirmed=data.get("confirm_outside_hours", False),
            )
        except ValidationError as error:
            field = ERROR_FIELDS.get(getattr(error, "code", None))
            form.add_error(field if field in form.fields else None, error)
        else:
            count = len(booked.occupancies)
            first = booked.occupancies[0]
            when = services.slot_text(first.period.lower, first.period.upper)
            what = f"{count} créneaux à partir du {when.removeprefix('le ')}" if count > 1 else when
            if booked.pending:
                messages.success(
                    request,
                    f"Demande enregistrée pour « {room.name} », {what} : le créneau est retenu en attendant "
                    "l’accord de la cheffe ou du chef de projet.",
                )
            else:
                messages.success(request, f"Réservation confirmée : « {room.name} », {what}.")
            return redirect("events:my_bookings")
    return render(request, "events/reservations/booking_form.html", {"form": form, "room": room})


@require_safe
@permission_required(perms.can_book_rooms)
def my_bookings(request):
    """The person's reservations (and those of the officials they assist) to come, and the recent past ones."""
    since = timezone.now() - datetime.timedelta(days=30)
    found = (
        reservations.bookings_of(request.user)
        .filter(period__endswith__gt=since)
        .select_related("room", "maison", "holder", "booked_by")
        .order_by("period")
    )
    now = timezone.now()
    upcoming, past = [], []
    for occupancy in found:
        occupancy.when = services.slot_text(occupancy.period.lower, occupancy.period.upper)
        occupancy.can_cancel = occupancy.holds_slot and occupancy.period.upper > now
        occupancy.expires = reservations.expires_at(occupancy) if occupancy.status == OccupancyStatus.PENDING else None
        (upcoming if occupancy.period.upper > now else past).append(occupancy)
    return render(
        request,
        "events/reservations/my_bookings.html",
        {"upcoming": upcoming, "past": past, "assists": bool(perms.assisted_officials(request.user))},
    )


@require_POST
@permission_required(perms.can_book_rooms)
def booking_cancel(request, pk):
    """Cancel a booking, fetched through what the person may see (someone else's is not found)."""
    scope = Occupancy.objects.filter(kind=OccupancyKind.RESERVATION)
    if not perms.can_manage_portal(request.user):
        scope = reservations.bookings_of(request.user)
    occupancy = get_object_or_404(scope.select_related("room"), pk=pk)
    try:
        reservations.reservation_cancel(occupancy=occupancy, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        when = services.slot_text(occupancy.period.lower, occupancy.period.upper)
        messages.success(request, f"Réservation annulée : « {occupancy.room.name} », {when}.")
    return redirect("events:my_bookings")


# The project lead's approvals (/gestion/reservations/) ---------------------------------------------------------


@require_safe
@permission_required(perms.can_manage_portal)
def approvals(request):
    """Pending requests, first to expire first, each with its expiry; then the last decisions."""
    pending = list(
        Occupancy.objects.filter(kind=OccupancyKind.RESERVATION, status=OccupancyStatus.PENDING)
        .select_related("room", "maison", "holder", "booked_by")
        .order_by("period")
    )
    for occupancy in pending:
        occupancy.when = services.slot_text(occupancy.period.lower, occupancy.period.upper)
        occupancy.expires = reservations.expires_at(occupancy)
    return render(request, "events/reservations/approvals.html", {"pending": pending, "refusal_form": RefusalForm()})


def _pending_request(pk) -> Occupancy:
    return get_object_or_404(
        Occupancy.objects.select_related("room"), pk=pk, kind=OccupancyKind.RESERVATION, status=OccupancyStatus.PENDING
    )


@require_POST
@permission_required(perms.can_manage_portal)
def approval_accept(request, pk):
    occupancy = _pending_request(pk)
    services.approve(occupancy, user=request.user)
    when = services.slot_text(occupancy.period.lower, occupancy.period.upper)
    messages.success(request, f"Demande acceptée : « {occupancy.room.name} », {when}. La personne est prévenue.")
    return redirect("approvals:list")


@require_POST
@permission_required(perms.can_manage_portal)
def approval_refuse(request, pk):
    occupancy = _pending_request(pk)
    form = RefusalForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Le motif du refus : " + " ".join(form.errors["reason"]))
        return redirect("approvals:list")
    services.refuse(occupancy, user=request.user, reason=form.cleaned_data["reason"])
    when = services.slot_text(occupancy.period.lower, occupancy.period.upper)
    messages.success(request, f"Demande refusée : « {occupancy.room.name} », {when}. Le créneau est libéré.")
    return redirect("approvals:list")
