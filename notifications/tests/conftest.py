import datetime

import pytest
from django.utils import timezone

from accounts.enums import Role
from events import services
from events.enums import OccupancyKind
from maisons.tests.factories import RoomFactory


@pytest.fixture
def official(user_with_role):
    return user_with_role(Role.ELECTED, first_name="Claire", last_name="Dupont", email="claire.dupont@example.fr")


@pytest.fixture
def room(maison_langres):
    return RoomFactory(maison=maison_langres, name="Salle Diderot", capacity=12)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """`with committed():` runs what the block registered on commit (the calendar's signal, the ledger's tasks), as
    a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def book(official, room, committed):
    """Book `room` for the official, `days` from now at 10:00 Paris time, through the calendar's service."""

    def make(days=3, hour=10, **kwargs):
        with committed():
            return _book(days, hour, **kwargs)

    def _book(days, hour, **kwargs):
        start = (timezone.localtime() + datetime.timedelta(days=days)).replace(
            hour=hour, minute=0, second=0, microsecond=0
        )
        return services.book(
            kind=OccupancyKind.RESERVATION,
            maison=room.maison,
            room=room,
            start=start,
            end=start + datetime.timedelta(hours=1),
            title="Réunion de quartier",
            purpose="Réunion de quartier",
            expected_attendance=8,
            holder=official,
            user=official,
            check_hours=False,
            **kwargs,
        )

    return make


@pytest.fixture
def eager():
    """Tasks run where they are sent (unit tests; tests/… and test_integration.py use a real worker)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
