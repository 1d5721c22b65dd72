"""Lead times: what the project lead and people type, and when a reminder falls, across the clock changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from notifications.timing import PARIS, Timing, as_text, parse

UTC = datetime.UTC


def paris(*args):
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("7 jours avant", Timing(days=7)),
        ("1 jour avant à 17:00", Timing(days=1, at=datetime.time(17, 0))),
        ("1 jour à 17 h", Timing(days=1, at=datetime.time(17, 0))),
        ("2 heures avant", Timing(minutes=120)),
        ("2h", Timing(minutes=120)),
        ("30 minutes avant", Timing(minutes=30)),
        ("  3   JOURS  ", Timing(days=3)),
    ],
)
def test_readable_lines(text, expected):
    assert parse(text) == [expected]
    assert parse(as_text(parse(text))) == [expected]  # What the form shows back reads the same.


@pytest.mark.parametrize(
    "text, message",
    [
        ("demain", "n’est pas un délai lisible"),
        ("2 heures avant à 17:00", "une heure fixe se donne avec un nombre de jours"),
        ("1 jour avant à 25:00", "l’heure n’existe pas"),
        ("0 heure", "indiquez un délai"),
        ("90 jours avant", "au plus 60 jours"),
        ("\n".join(f"{n} jours" for n in range(1, 9)), "Six rappels au plus"),
    ],
)
def test_unreadable_lines_get_a_french_message(text, message):
    with pytest.raises(ValidationError) as error:
        parse(text)
    assert message in " ".join(error.value.messages)


def test_the_day_before_at_17_is_17_in_paris_on_the_days_the_clocks_change():
    # 25 October 2026: the clocks go back (CEST to CET). An event on Monday 26th at 10:00: the reminder is on the
    # 25th, a 25-hour day, at 17:00 CET = 16:00 UTC; one on Sunday 25th: on the 24th at 17:00 CEST = 15:00 UTC.
    day_before = Timing(days=1, at=datetime.time(17, 0))
    assert day_before.due(paris(2026, 10, 26, 10)) == datetime.datetime(2026, 10, 25, 16, 0, tzinfo=UTC)
    assert day_before.due(paris(2026, 10, 25, 10)) == datetime.datetime(2026, 10, 24, 15, 0, tzinfo=UTC)
    # 29 March 2026: the clocks go forward. The 29th at 17:00 is CEST (15:00 UTC), the 28th CET (16:00 UTC).
    assert day_before.due(paris(2026, 3, 30, 9)) == datetime.datetime(2026, 3, 29, 15, 0, tzinfo=UTC)
    assert day_before.due(paris(2026, 3, 29, 9)) == datetime.datetime(2026, 3, 28, 16, 0, tzinfo=UTC)


def test_days_keep_the_wall_clock_time_and_hours_are_real_hours_across_a_change():
    monday = paris(2026, 10, 26, 10)  # CET.
    assert Timing(days=7).due(monday).astimezone(PARIS).hour == 10  # The 19th at 10:00 CEST, not 11:00.
    early = paris(2026, 10, 25, 4)  # 04:00 CET = 03:00 UTC, the morning the clocks went back.
    assert Timing(minutes=120).due(early) == datetime.datetime(2026, 10, 25, 1, 0, tzinfo=UTC)  # 02:00 CEST.
    assert str(Timing(days=1, at=datetime.time(17, 0))) == "la veille à 17 h 00"
    assert str(Timing(minutes=120)) == "2 heures avant"
