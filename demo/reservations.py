"""Demonstration data of the room reservations: rooms' booking settings, a blocked period, a second official, an
assistant, and bookings (some pending on a room that requires approval). Idempotent: what exists is left."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.enums import Role
from accounts.models import User
from accounts.services import user_set_roles
from events.enums import OccupancyKind
from events.models import Occupancy
from events.reservations import reservation_book
from maisons.enums import OutsideHours
from maisons.models import Maison, RoomBlock
from maisons.opening import PARIS

from . import data

OFFICIAL = ("elue.langres@demo.test", "Martine", "Girard")
ASSISTANT = ("assistant.elu@demo.test", "Thomas", "Renard")


def _person(email: str, first_name: str, last_name: str, roles: list[Role]) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email, password=data.DEMO_PASSWORD, first_name=first_name, last_name=last_name
        )
        user = user_set_roles(user=user, roles=roles)
    return user


def _weekday(weeks: int, weekday: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=7 * weeks - today.weekday() + weekday)


def seed_reservations(maisons: dict[str, Maison], users: dict[str, User]) -> None:
    langres, saint_dizier = maisons["langres"], maisons["saint-dizier"]
    saint_dizier.rooms.filter(name="Salle du Der").update(requires_approval=True, approval_delay=72)
    langres.rooms.filter(name="Salle Diderot").update(outside_hours=OutsideHours.WARN)
    marne = saint_dizier.rooms.filter(name="Salle de la Marne").first()
    if marne is not None and not marne.blocks.exists():
        start = datetime.datetime.combine(_weekday(5, 0), datetime.time(8), tzinfo=PARIS)
        RoomBlock.objects.create(
            room=marne, starts_at=start, ends_at=start + datetime.timedelta(days=5), reason="Travaux de peinture"
        )
    bernard = users["elu@demo.test"]
    martine = _person(*OFFICIAL, [Role.ELECTED])
    assistant = _person(*ASSISTANT, [])
    assistant.assisted_officials.add(bernard)
    bookings = [
        # (holder, booked by, Maison, room, purpose, people, weeks ahead, weekday, start, end, repeat)
        (
            bernard,
            bernard,
            langres,
            "Salle Diderot",
            "Permanence du conseiller départemental",
            6,
            1,
            3,
            14,
            16,
            "biweekly",
        ),
        (
            bernard,
            assistant,
            saint_dizier,
            "Salle de la Marne",
            "Rencontre avec l’association des commerçants",
            10,
            1,
            1,
            10,
            11,
            "",
        ),
        (martine, martine, saint_dizier, "Salle du Der", "Réunion publique sur la voirie", 45, 2, 2, 14, 16, ""),
        (
            martine,
            martine,
            saint_dizier,
            "Salle du Der",
            "Comité de pilotage du contrat de ruralité",
            20,
            3,
            2,
            9,
            11,
            "",
        ),
        (
            martine,
            martine,
            langres,
            "Salle des permanences",
            "Permanence de la conseillère départementale",
            4,
            1,
            0,
            9,
            11,
            "weekly",
        ),
    ]
    for holder, booked_by, maison, room_name, purpose, people, weeks, weekday, start, end, repeat in bookings:
        room = maison.rooms.filter(name=room_name).first()
        if room is None or Occupancy.objects.filter(kind=OccupancyKind.RESERVATION, purpose=purpose).exists():
            continue
        day = _weekday(weeks, weekday)
        try:
            reservation_book(
                room=room,
                start=datetime.datetime.combine(day, datetime.time(start), tzinfo=PARIS),
                end=datetime.datetime.combine(day, datetime.time(end), tzinfo=PARIS),
                purpose=purpose,
                expected_attendance=people,
                holder=holder,
                booked_by=booked_by,
                frequency=repeat,
                until=day + datetime.timedelta(weeks=5) if repeat else None,
                outside_hours_confirmed=True,
            )
        except ValidationError:
            continue  # The slot is taken (a partner's permanence seeded before): the demonstration goes without.
