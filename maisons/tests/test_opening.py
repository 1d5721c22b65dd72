"""“Open now”: opening ranges of the weekday, exceptional closures, Europe/Paris across daylight-saving changes."""

import datetime
import zoneinfo

import pytest

from maisons import opening
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


# The status in words (maisons/opening.py) ------------------------------------------------------------------------


def status(maison, *args):
    return maison.status_at(paris(*args))


@pytest.mark.parametrize(
    ("moment", "text"),
    [
        ((2026, 12, 1, 7, 0), "Fermée — ouvre à 8 h 30"),  # Tuesday, early.
        ((2026, 12, 1, 8, 30), "Ouverte — ferme à 12 h 00"),
        ((2026, 12, 1, 12, 0), "Fermée — ouvre à 13 h 30"),  # Lunch break, same day.
        ((2026, 12, 1, 16, 59), "Ouverte — ferme à 17 h 00"),  # The last range of the day.
        ((2026, 12, 1, 17, 0), "Fermée — ouvre demain à 8 h 30"),
        ((2026, 12, 4, 17, 30), "Fermée — ouvre lundi à 8 h 30"),  # Friday evening.
        ((2026, 12, 5, 10, 0), "Fermée — ouvre lundi à 8 h 30"),  # Saturday.
        ((2026, 12, 6, 23, 59), "Fermée — ouvre demain à 8 h 30"),  # Sunday night.
    ],
)
def test_status_in_words(maison, moment, text):
    assert status(maison, *moment).text == text


def test_times_are_written_the_french_way():
    assert opening.format_time(datetime.time(8, 30)) == "8 h 30"
    assert opening.format_time(datetime.time(17, 0)) == "17 h 00"
    assert opening.format_day(datetime.date(2026, 12, 1)) == "mardi 1er décembre"
    assert opening.format_day(datetime.date(2027, 1, 4), year=True) == "lundi 4 janvier 2027"


def test_status_is_computed_in_paris_time_on_daylight_saving_days():
    maison = MaisonFactory()
    # Open on Sundays 9 h – 12 h: 29 March 2026 (clocks forward) and 25 October 2026 (clocks back) are Sundays.
    OpeningHoursFactory(maison=maison, weekday=6, opens_at=datetime.time(9, 0), closes_at=datetime.time(12, 0))
    utc = datetime.UTC
    assert maison.status_at(datetime.datetime(2026, 3, 29, 7, 30, tzinfo=utc)).text == "Ouverte — ferme à 12 h 00"
    assert maison.status_at(datetime.datetime(2026, 3, 29, 6, 30, tzinfo=utc)).text == "Fermée — ouvre à 9 h 00"
    # After the change back, 8:30 UTC is 9:30 in Paris (it was 10:30 the day before).
    assert maison.status_at(datetime.datetime(2026, 10, 25, 7, 30, tzinfo=utc)).text == "Fermée — ouvre à 9 h 00"
    assert maison.status_at(datetime.datetime(2026, 10, 25, 8, 30, tzinfo=utc)).text == "Ouverte — ferme à 12 h 00"
    # The Saturday before the spring change: the next opening is the next morning, named « demain ».
    assert maison.status_at(datetime.datetime(2026, 3, 28, 20, 0, tzinfo=utc)).text == "Fermée — ouvre demain à 9 h 00"


def test_public_holiday_on_monday_is_closed_and_named(maison):
    # Easter Monday 2026 is 6 April, from the `holidays` library.
    result = status(maison, 2026, 4, 6, 10, 0)
    assert not result.is_open
    assert result.text == "Fermée — ouvre demain à 8 h 30"
    assert result.reason == "Lundi de Pâques (jour férié)"
    # On the Friday before, the next opening skips the holiday.
    assert status(maison, 2026, 4, 3, 18, 0).text == "Fermée — ouvre mardi à 8 h 30"
    assert maison.schedule().day(datetime.date(2026, 4, 6)).holiday == "Lundi de Pâques"


def test_public_holidays_come_from_the_library_for_any_year():
    assert opening.public_holiday(datetime.date(2027, 7, 14)) == "Fête nationale"
    assert opening.public_holiday(datetime.date(2031, 12, 25)) == "Noël"
    assert opening.public_holiday(datetime.date(2026, 12, 26)) is None  # Not a holiday outside Alsace-Moselle.


def test_closure_spanning_a_weekend(maison):
    ExceptionalClosureFactory(
        maison=maison, start_date=datetime.date(2026, 12, 11), end_date=datetime.date(2026, 12, 14), reason="Travaux"
    )
    assert status(maison, 2026, 12, 10, 18, 0).text == "Fermée — ouvre mardi à 8 h 30"
    saturday = status(maison, 2026, 12, 12, 10, 0)
    assert saturday.text == "Fermée — ouvre mardi à 8 h 30"
    assert saturday.reason == "Travaux"
    assert status(maison, 2026, 12, 15, 9, 0).is_open


def test_partial_closure_in_the_morning(maison):
    ExceptionalClosureFactory(
        maison=maison,
        start_date=datetime.date(2026, 12, 8),
        end_date=datetime.date(2026, 12, 8),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 0),
        reason="Réunion d’équipe",
    )
    early = status(maison, 2026, 12, 8, 9, 0)
    assert early.text == "Fermée — ouvre à 10 h 00"
    assert early.reason == "Réunion d’équipe"
    assert status(maison, 2026, 12, 8, 10, 0).text == "Ouverte — ferme à 12 h 00"
    assert status(maison, 2026, 12, 7, 17, 30).text == "Fermée — ouvre demain à 10 h 00"
    day = maison.schedule().day(datetime.date(2026, 12, 8))
    assert day.ranges_text == "10 h 00 – 12 h 00, 13 h 30 – 17 h 00"
    assert [(c.reason, c.period_text) for c in day.closures] == [("Réunion d’équipe", "de 8 h 30 à 10 h 00")]


def test_partial_closure_until_the_end_of_the_afternoon_moves_the_closing_time(maison):
    ExceptionalClosureFactory(
        maison=maison,
        start_date=datetime.date(2026, 12, 8),
        start_time=datetime.time(15, 0),
        end_date=datetime.date(2026, 12, 8),
        reason="Formation",
    )
    assert status(maison, 2026, 12, 8, 14, 0).text == "Ouverte — ferme à 15 h 00"
    assert status(maison, 2026, 12, 8, 15, 30).text == "Fermée — ouvre demain à 8 h 30"


def test_closure_over_several_days_with_times(maison):
    ExceptionalClosureFactory(
        maison=maison,
        start_date=datetime.date(2026, 12, 7),
        start_time=datetime.time(12, 0),
        end_date=datetime.date(2026, 12, 9),
        end_time=datetime.time(10, 0),
        reason="Déménagement",
    )
    schedule = maison.schedule()
    assert schedule.day(datetime.date(2026, 12, 7)).ranges_text == "8 h 30 – 12 h 00"
    assert schedule.day(datetime.date(2026, 12, 8)).ranges_text == "Fermé"
    assert schedule.day(datetime.date(2026, 12, 9)).ranges_text == "10 h 00 – 12 h 00, 13 h 30 – 17 h 00"
    assert status(maison, 2026, 12, 7, 11, 0).text == "Ouverte — ferme à 12 h 00"
    assert status(maison, 2026, 12, 7, 15, 0).text == "Fermée — ouvre mercredi à 10 h 00"


def test_a_long_closure_names_the_reopening_date(maison):
    ExceptionalClosureFactory(
        maison=maison, start_date=datetime.date(2026, 12, 1), end_date=datetime.date(2027, 1, 10), reason="Travaux"
    )
    assert status(maison, 2026, 12, 2, 10, 0).text == "Fermée — ouvre le lundi 11 janvier 2027 à 8 h 30"
    assert status(maison, 2027, 1, 2, 10, 0).text == "Fermée — ouvre le lundi 11 janvier à 8 h 30"


def test_a_maison_with_no_hours():
    result = MaisonFactory().status_at(paris(2026, 12, 1, 10, 0))
    assert (result.is_open, result.known, result.text) == (False, False, "Horaires non communiqués")


def test_adjacent_ranges_count_as_one():
    maison = MaisonFactory()
    OpeningHoursFactory(maison=maison, weekday=1, opens_at=datetime.time(9, 0), closes_at=datetime.time(12, 0))
    OpeningHoursFactory(maison=maison, weekday=1, opens_at=datetime.time(12, 0), closes_at=datetime.time(16, 0))
    assert status(maison, 2026, 12, 1, 11, 0).text == "Ouverte — ferme à 16 h 00"


def test_week_ahead_names_holidays_and_closures(maison):
    ExceptionalClosureFactory(
        maison=maison, start_date=datetime.date(2026, 12, 24), end_date=datetime.date(2026, 12, 24), reason="Réveillon"
    )
    schedule = maison.schedule(today=datetime.date(2026, 12, 21))
    days = schedule.days(datetime.date(2026, 12, 21))
    assert [d.label for d in days][:2] == ["lundi 21 décembre", "mardi 22 décembre"]
    assert days[0].is_today and not days[1].is_today
    assert [c.reason for c in days[3].closures] == ["Réveillon"]
    assert days[4].holiday == "Noël" and days[4].ranges_text == "Fermé"
    assert days[0].ranges_text == "8 h 30 – 12 h 00, 13 h 30 – 17 h 00" and not days[0].is_exceptional


# The hours data is guarded, in forms and by the database -------------------------------------------------------


def test_the_database_refuses_overlapping_ranges_on_one_day(maison):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError, match="openinghours_no_overlap"), transaction.atomic():
        OpeningHoursFactory(maison=maison, weekday=0, opens_at=datetime.time(11, 0), closes_at=datetime.time(14, 0))
    # Touching ranges, another day or another Maison are fine.
    OpeningHoursFactory(maison=maison, weekday=0, opens_at=datetime.time(12, 0), closes_at=datetime.time(13, 0))
    OpeningHoursFactory(maison=maison, weekday=5, opens_at=datetime.time(11, 0), closes_at=datetime.time(14, 0))
    OpeningHoursFactory(weekday=0, opens_at=datetime.time(11, 0), closes_at=datetime.time(14, 0))


def test_model_validation_refuses_overlap_in_french(maison):
    from django.core.exceptions import ValidationError

    hours = OpeningHoursFactory.build(
        maison=maison, weekday=1, opens_at=datetime.time(16, 0), closes_at=datetime.time(18, 0)
    )
    with pytest.raises(ValidationError, match="Cette plage horaire chevauche une autre plage du même jour."):
        hours.full_clean()
    # A reversed range gets the check constraint's message, not a database error.
    reversed_hours = OpeningHoursFactory.build(
        maison=maison, weekday=1, opens_at=datetime.time(18, 0), closes_at=datetime.time(16, 0)
    )
    with pytest.raises(ValidationError, match="L’heure de fermeture doit suivre"):
        reversed_hours.full_clean()


def test_closures_may_not_overlap(maison):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    ExceptionalClosureFactory(
        maison=maison, start_date=datetime.date(2026, 12, 24), end_date=datetime.date(2026, 12, 26), reason="Fêtes"
    )
    clash = ExceptionalClosureFactory.build(
        maison=maison,
        start_date=datetime.date(2026, 12, 26),
        start_time=datetime.time(9, 0),
        end_date=datetime.date(2026, 12, 26),
        end_time=datetime.time(10, 0),
    )
    with pytest.raises(ValidationError, match="Cette fermeture chevauche une autre fermeture"):
        clash.full_clean()
    with pytest.raises(IntegrityError, match="closure_no_overlap"), transaction.atomic():
        clash.save()
    # The next morning is free; so is a partial closure ending when another starts.
    ExceptionalClosureFactory(
        maison=maison,
        start_date=datetime.date(2026, 12, 23),
        start_time=datetime.time(14, 0),
        end_date=datetime.date(2026, 12, 23),
    )
    ExceptionalClosureFactory(maison=maison, start_date=datetime.date(2026, 12, 27))


def test_partial_closure_times_must_be_in_order(maison):
    from django.core.exceptions import ValidationError

    closure = ExceptionalClosureFactory.build(
        maison=maison,
        start_date=datetime.date(2026, 12, 8),
        end_date=datetime.date(2026, 12, 8),
        start_time=datetime.time(15, 0),
        end_time=datetime.time(9, 0),
    )
    with pytest.raises(ValidationError, match="l’heure de réouverture doit suivre l’heure de fermeture"):
        closure.full_clean()
