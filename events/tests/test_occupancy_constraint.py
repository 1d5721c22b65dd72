"""Invariant 1: a room is never double-booked, enforced by PostgreSQL even under concurrent requests."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.db import atomic_with_retry
from events.enums import OccupancyKind, OccupancyStatus
from events.models import Occupancy
from events.tests.factories import OccupancyFactory, period
from maisons.tests.factories import MaisonFactory, RoomFactory

TOMORROW_10H = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0) + datetime.timedelta(days=1)


def test_overlapping_confirmed_occupancies_of_a_room_are_refused_by_the_database():
    first = OccupancyFactory(period=period(TOMORROW_10H, hours=2))
    with pytest.raises(IntegrityError, match="occupancy_no_room_overlap"), transaction.atomic():
        Occupancy.objects.create(
            kind=OccupancyKind.RESERVATION,
            title="Chevauchement",
            maison=first.maison,
            room=first.room,
            period=period(TOMORROW_10H + datetime.timedelta(hours=1)),
        )
    assert Occupancy.objects.count() == 1


def test_back_to_back_other_rooms_and_cancelled_do_not_conflict():
    first = OccupancyFactory(period=period(TOMORROW_10H, hours=1))
    # Half-open ranges: one ending at 11:00 and one starting at 11:00 do not overlap.
    OccupancyFactory(maison=first.maison, room=first.room, period=period(TOMORROW_10H + datetime.timedelta(hours=1)))
    OccupancyFactory(maison=first.maison, period=period(TOMORROW_10H))  # Another room.
    first.status = OccupancyStatus.CANCELLED
    first.save()
    OccupancyFactory(maison=first.maison, room=first.room, period=period(TOMORROW_10H))  # Freed by the cancellation.
    assert Occupancy.objects.confirmed().filter(room=first.room).count() == 2


def test_validation_names_the_conflict_in_french():
    first = OccupancyFactory(period=period(TOMORROW_10H, hours=2))
    clash = Occupancy(
        kind=OccupancyKind.MEETING, title="Autre", maison=first.maison, room=first.room, period=period(TOMORROW_10H)
    )
    with pytest.raises(ValidationError, match="Cette salle est déjà occupée sur ce créneau."):
        clash.full_clean()


def test_a_room_must_belong_to_the_maison_and_the_end_follow_the_start():
    room = RoomFactory()
    occupancy = Occupancy(
        kind=OccupancyKind.MEETING,
        title="Mauvaise salle",
        maison=MaisonFactory(),
        room=room,
        period=period(TOMORROW_10H),
    )
    with pytest.raises(ValidationError) as error:
        occupancy.full_clean()
    assert error.value.message_dict["room"] == ["Cette salle n’appartient pas à la Maison choisie."]
    with pytest.raises(IntegrityError, match="occupancy_period_bounded"), transaction.atomic():
        Occupancy.objects.create(
            kind=OccupancyKind.MEETING,
            title="Vide",
            maison=room.maison,
            room=room,
            period=(TOMORROW_10H, TOMORROW_10H),
        )


@pytest.mark.django_db(transaction=True)
def test_concurrent_overlapping_requests_exactly_one_wins():
    room = RoomFactory()
    attempts = 8
    barrier = threading.Barrier(attempts)
    outcomes = []

    def book(index):
        try:
            barrier.wait(timeout=30)
            # Concurrent checks of the exclusion constraint may deadlock; the retried one is then refused.
            atomic_with_retry(
                lambda: Occupancy.objects.create(
                    kind=OccupancyKind.RESERVATION,
                    title=f"Demande {index}",
                    maison_id=room.maison_id,
                    room=room,
                    period=period(TOMORROW_10H + datetime.timedelta(minutes=5 * index)),
                )
            )
            outcomes.append("accepted")
        except IntegrityError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=book, args=(i,)) for i in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["accepted"] + ["refused"] * (attempts - 1)
    assert Occupancy.objects.filter(room=room).count() == 1
