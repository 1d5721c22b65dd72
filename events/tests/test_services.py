"""The booking service's refusals, in French, and its message hook."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.enums import Role
from events import services
from events.enums import OccupancyKind, OccupancyStatus
from events.signals import occupancy_changed
from maisons.tests.factories import RoomFactory

PARIS = ZoneInfo("Europe/Paris")


def next_monday(hour: int, minute: int = 0) -> datetime.datetime:
    today = timezone.localdate()
    day = today + datetime.timedelta(days=7 - today.weekday())
    return datetime.datetime.combine(day, datetime.time(hour, minute), PARIS)


@pytest.fixture
def room(maison_langres):  # Open Monday to Friday, 8:30–12:00 and 13:30–17:00.
    return RoomFactory(maison=maison_langres, name="Salle Diderot", capacity=12)


def book(room, start, end, **options):
    values = {"kind": OccupancyKind.RESERVATION, "title": "Réunion", "maison": room.maison, "room": room}
    return services.book(**values | {"start": start, "end": end} | options)


def test_end_before_start_past_dates_and_capacity_are_refused_in_words(room, user_with_role):
    official = user_with_role(Role.ELECTED)
    with pytest.raises(ValidationError, match="La fin doit suivre le début."):
        book(room, next_monday(10), next_monday(9), holder=official)
    yesterday = next_monday(10) - datetime.timedelta(days=8)
    with pytest.raises(ValidationError, match="Ce créneau est déjà passé"):
        book(room, yesterday, yesterday + datetime.timedelta(hours=1), holder=official)
    with pytest.raises(
        ValidationError, match="« Salle Diderot » accueille 12 personnes au plus ; vous en attendez 30."
    ):
        book(room, next_monday(10), next_monday(11), holder=official, expected_attendance=30)


def test_outside_opening_hours_is_refused_or_warned_per_room(room, user_with_role):
    official = user_with_role(Role.ELECTED)
    with pytest.raises(ValidationError, match="en dehors des horaires d’ouverture") as refused:
        book(room, next_monday(12), next_monday(13), holder=official)
    assert not isinstance(refused.value, services.OutsideHours)
    room.outside_hours = "warn"
    with pytest.raises(services.OutsideHours, match="Confirmez pour réserver quand même."):
        book(room, next_monday(18), next_monday(19), holder=official)
    booking = book(room, next_monday(18), next_monday(19), holder=official, outside_hours_confirmed=True)
    assert booking.status == OccupancyStatus.CONFIRMED
    assert book(room, next_monday(9), next_monday(11, 30), holder=official).pk  # Within the morning's hours.


def test_a_conflict_names_the_existing_booking_and_only_staff_learn_whose(room, user_with_role):
    official, lead = user_with_role(Role.ELECTED), user_with_role(Role.PROJECT_LEAD)
    existing = book(room, next_monday(10), next_monday(11), holder=official, title="Rencontre des habitants")
    with pytest.raises(services.Conflict) as conflict:
        book(room, next_monday(10, 30), next_monday(11, 30), holder=official, user=official)
    day = next_monday(10).date()
    assert conflict.value.existing == existing
    assert conflict.value.messages == [
        f"Ce créneau n’est pas libre : « Salle Diderot » est déjà occupée le lundi {day.day} "
        f"{services.opening.MONTH_NAMES[day.month - 1]} {day.year} de 10 h 00 à 11 h 00."
    ]
    with pytest.raises(services.Conflict, match=rf"\(Rencontre des habitants, {official.get_full_name()}\)\."):
        book(room, next_monday(10, 30), next_monday(11, 30), holder=lead, user=lead)


def test_a_room_that_requires_approval_makes_a_pending_request_that_holds_the_slot(room, user_with_role):
    official = user_with_role(Role.ELECTED)
    room.requires_approval = True
    request = book(room, next_monday(10), next_monday(11), holder=official)
    assert request.status == OccupancyStatus.PENDING
    with pytest.raises(services.Conflict, match="une demande en attente de validation retient ce créneau"):
        book(room, next_monday(10), next_monday(11), holder=official)
    services.refuse(request, reason="Salle réservée au conseil")
    assert request.status == OccupancyStatus.REFUSED and request.sequence == 1
    book(room, next_monday(10), next_monday(11), holder=official)  # The slot is free again.


def test_the_hook_is_told_once_committed(room, user_with_role, django_capture_on_commit_callbacks):
    official = user_with_role(Role.ELECTED)
    heard = []

    def listen(sender, occupancy, change, **kwargs):
        heard.append((occupancy.pk, change))

    occupancy_changed.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            booking = book(room, next_monday(10), next_monday(11), holder=official)
            assert heard == []  # Not before the commit.
        with django_capture_on_commit_callbacks(execute=True):
            services.move(booking, start=next_monday(14), end=next_monday(15))
        with django_capture_on_commit_callbacks(execute=True):
            services.cancel(booking, reason="Empêchement")
    finally:
        occupancy_changed.disconnect(listen)
    assert heard == [(booking.pk, "created"), (booking.pk, "moved"), (booking.pk, "cancelled")]
    assert booking.sequence == 2
