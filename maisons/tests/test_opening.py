"""“Open now”: opening ranges of the weekday, exceptional closures, Europe/Paris across daylight-saving changes."""

import datetime
import zoneinfo

import pytest

from maisons.tests.factories import ExceptionalClosureFactory, MaisonFactory, OpeningHoursFactory

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def maison():
    return MaisonFactory(with_weekday_hours=True)


@pytest.mark.parametrize(
    ("moment", "is_open"),
    [
        (paris(2026, 12, 1, 8, 29), False),  # Tuesday, before opening.
        (paris(2026, 12, 1, 8, 30), True),
        (paris(2026, 12, 1, 11, 59), True),
        (paris(2026, 12, 1, 12, 0), False),  # Lunch break: the closing minute is closed.
        (paris(2026, 12, 1, 13, 30), True),
        (paris(2026, 12, 1, 17, 0), False),
        (paris(2026, 12, 5, 10, 0), False),  # Saturday.
        (paris(2026, 12, 6, 10, 0), False),  # Sunday.
    ],
)
def test_open_inside_the_weekday_ranges(maison, moment, is_open):
    assert maison.is_open_at(moment) is is_open


def test_open_is_judged_in_paris_time_across_daylight_saving(maison):
    # 29 March 2026: clocks go forward. 8:45 in Paris is 6:45 UTC in summer time, 7:45 UTC in winter time.
    summer_monday = datetime.datetime(2026, 3, 30, 6, 45, tzinfo=datetime.UTC)
    winter_monday = datetime.datetime(2026, 3, 23, 7, 45, tzinfo=datetime.UTC)
    assert maison.is_open_at(summer_monday)
    assert maison.is_open_at(winter_monday)
    assert not maison.is_open_at(datetime.datetime(2026, 3, 30, 6, 15, tzinfo=datetime.UTC))  # 8:15 in Paris.


def test_exceptional_closure_wins_over_the_hours(maison):
    ExceptionalClosureFactory(
        maison=maison, start_date=datetime.date(2026, 12, 24), end_date=datetime.date(2026, 12, 26)
    )
    assert not maison.is_open_at(paris(2026, 12, 24, 10, 0))
    assert not maison.is_open_at(paris(2026, 12, 25, 10, 0))
    assert maison.is_open_at(paris(2026, 12, 28, 10, 0))


def test_several_ranges_a_day_in_order(maison):
    OpeningHoursFactory(maison=maison, weekday=5, opens_at=datetime.time(9, 0), closes_at=datetime.time(12, 0))
    days = dict(maison.hours_by_weekday())
    assert [(h.opens_at.hour, h.closes_at.hour) for h in days["lundi"]] == [(8, 12), (13, 17)]
    assert [(h.opens_at.hour, h.closes_at.hour) for h in days["samedi"]] == [(9, 12)]
    assert days["dimanche"] == []


def test_a_range_must_close_after_it_opens(maison):
    from django.core.exceptions import ValidationError

    hours = OpeningHoursFactory.build(maison=maison, opens_at=datetime.time(14, 0), closes_at=datetime.time(9, 0))
    with pytest.raises(ValidationError, match="L’heure de fermeture doit suivre l’heure d’ouverture."):
        hours.full_clean()
