"""A change to an occupancy makes the public pages stale (a partner's next permanence, later the agenda)."""

import pytest

from core import pagecache
from events.enums import OccupancyStatus
from events.models import Occupancy
from events.tests.factories import CategoryFactory, OccupancyFactory


@pytest.mark.parametrize(
    "change",
    [
        lambda: OccupancyFactory(),
        lambda: Occupancy.objects.filter(pk=OccupancyFactory().pk).get().delete(),
        lambda: CategoryFactory(),
    ],
    ids=["created", "deleted", "category"],
)
def test_changes_make_the_public_pages_stale(change, django_capture_on_commit_callbacks):
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        change()
    assert pagecache.generation() != before


def test_a_cancelled_permanence_makes_them_stale(django_capture_on_commit_callbacks):
    occupancy = OccupancyFactory()
    before = pagecache.generation()
    with django_capture_on_commit_callbacks(execute=True):
        occupancy.status = OccupancyStatus.CANCELLED
        occupancy.save()
    assert pagecache.generation() != before
