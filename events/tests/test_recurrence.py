"""Recurring series: RFC 5545 rules in Paris wall-clock time, stored occurrences, edits of one or the following."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db.backends.postgresql.psycopg_any import DateTimeTZRange
from django.utils import timezone

from events import recurrence
from events.enums import EventStatus, OccupancyKind, OccupancyStatus
from events.tests.factories import EventFactory, OccupancyFactory

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=PARIS)


@pytest.fixture
def far_horizon(settings):
    settings.EVENTS_RECURRENCE_HORIZON_DAYS = 3 * 365


def next_year(month: int, day: int, hour: int = 10) -> datetime.datetime:
    return paris(timezone.localdate().year + 1, month, day, hour)


def first_weekday(year: int, month: int, weekday: int) -> datetime.date:
    day = datetime.date(year, month, 1)
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


@pytest.mark.parametrize("month", [3, 10])
def test_a_weekly_series_at_ten_stays_at_ten_across_the_daylight_saving_change(month, far_horizon):
    year = timezone.localdate().year + 1
    start = datetime.datetime.combine(first_weekday(year, month, 1), datetime.time(10), PARIS)  # A Tuesday.
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=2))
    event.rrule = recurrence.build_rule(
        recurrence.Frequency.WEEKLY, start, until=start.date() + datetime.timedelta(days=35)
    )
    event.save()
    result = recurrence.materialise(event)
    assert result.conflicts == []
    local = [timezone.localtime(o.period.lower, PARIS) for o in event.occurrences.order_by("period")]
    assert len(local) == 6
    assert {(moment.hour, moment.minute) for moment in local} == {(10, 0)}
    assert {timezone.localtime(o.period.upper, PARIS).hour for o in event.occurrences.all()} == {12}
    utc_hours = {o.period.lower.astimezone(datetime.UTC).hour for o in event.occurrences.all()}
    assert utc_hours == {8, 9}  # Summer and winter time: the UTC hour changes, the wall clock does not.


def test_every_other_week_and_the_nth_weekday_of_the_month(far_horizon):
    start = next_year(1, 1)
    start = datetime.datetime.combine(
        first_weekday(start.year, 1, 1) + datetime.timedelta(days=7), datetime.time(14), PARIS
    )
    fortnightly = recurrence.build_rule(recurrence.Frequency.FORTNIGHTLY, start)
    assert fortnightly == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    monthly = recurrence.build_rule(recurrence.Frequency.MONTHLY_NTH_WEEKDAY, start)
    assert monthly == "FREQ=MONTHLY;BYDAY=2TU"
    assert recurrence.describe_rule(monthly) == "le 2e mardi de chaque mois"
    assert recurrence.describe_rule(fortnightly) == "un mardi sur deux"
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=1), rrule=monthly)
    starts = recurrence.occurrence_starts(event, after=start, before=start + datetime.timedelta(days=120))
    local = [timezone.localtime(value, PARIS) for value in starts]
    assert all(moment.weekday() == 1 and 8 <= moment.day <= 14 and moment.hour == 14 for moment in local)
    assert len(local) == 5  # January to May.


def test_exceptions_are_left_out_and_the_generation_is_idempotent(far_horizon):
    start = next_year(2, 2)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=1))
    event.rrule = recurrence.build_rule(
        recurrence.Frequency.WEEKLY, start, until=start.date() + datetime.timedelta(days=28)
    )
    event.exdates = [start + datetime.timedelta(days=14)]
    event.save()
    assert len(recurrence.materialise(event).created) == 4
    assert recurrence.materialise(event).created == []
    assert event.occurrences.count() == 4
    assert not event.occurrences.filter(recurrence_id=start + datetime.timedelta(days=14)).exists()
    assert event.occurrences.filter(slug=f"{event.slug}-{start:%Y-%m-%d}").exists()


def test_conflicts_of_a_series_are_reported_per_occurrence_before_saving_and_skipped(far_horizon):
    start = next_year(3, 2)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=2))
    event.rrule = recurrence.build_rule(
        recurrence.Frequency.WEEKLY, start, until=start.date() + datetime.timedelta(days=21)
    )
    taken = OccupancyFactory(
        maison=event.maison,
        room=event.room,
        period=DateTimeTZRange(
            start + datetime.timedelta(days=7, hours=1), start + datetime.timedelta(days=7, hours=3)
        ),
    )
    plan = recurrence.plan(event)
    assert [occurrence.conflict for occurrence in plan.occurrences] == [None, taken, None, None]
    event.save()
    result = recurrence.materialise(event)
    assert len(result.created) == 3 and len(result.conflicts) == 1
    assert "déjà occupée" in result.conflicts[0][1].messages[0]


def test_this_occurrence_moves_alone_and_keeps_its_uid(far_horizon):
    start = next_year(4, 6)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=3")
    recurrence.materialise(event)
    second = event.occurrences.order_by("period")[1]
    uid = second.uid
    recurrence.update_occurrence(
        second,
        start=second.period.lower + datetime.timedelta(hours=3),
        end=second.period.upper + datetime.timedelta(hours=3),
    )
    second.refresh_from_db()
    assert second.uid == uid and second.sequence == 1 and second.is_exception
    recurrence.update_series(event)  # The series' own edit leaves the moved occurrence alone.
    second.refresh_from_db()
    assert timezone.localtime(second.period.lower, PARIS).hour == 13


def test_cancel_one_then_this_and_the_following(far_horizon):
    start = next_year(5, 4)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=5")
    recurrence.materialise(event)
    occurrences = list(event.occurrences.order_by("period"))
    recurrence.cancel_occurrence(occurrences[1], reason="Salle inondée")
    recurrence.materialise(event)
    assert event.occurrences.count() == 5  # A cancelled occurrence is kept, never written again.
    recurrence.cancel_following(occurrences[3], reason="Fin de la saison")
    statuses = [o.status for o in event.occurrences.order_by("period")]
    assert statuses == ["confirmed", "cancelled", "confirmed", "cancelled", "cancelled"]
    event.refresh_from_db()
    assert "UNTIL=" in event.rrule and event.sequence == 1
    assert len(recurrence.occurrence_starts(event, after=start, before=start + datetime.timedelta(days=60))) == 3


def test_this_and_the_following_splits_the_series(far_horizon):
    start = next_year(6, 1)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=4")
    recurrence.materialise(event)
    third = event.occurrences.order_by("period")[2]
    uid = third.uid
    later = third.period.lower + datetime.timedelta(hours=4)
    new, result = recurrence.split_series(
        third, changes={"start": later, "end": later + datetime.timedelta(hours=1), "title": "Nouvel horaire"}
    )
    third.refresh_from_db()
    assert third.event == new and third.uid == uid and third.title == "Nouvel horaire"
    assert timezone.localtime(third.period.lower, PARIS).hour == 14
    assert new.occurrences.count() == 2 and result.conflicts == []
    event.refresh_from_db()
    assert event.occurrences.filter(status=OccupancyStatus.CONFIRMED).count() == 2


def test_cancelling_the_series_keeps_it_visible_with_its_reason(far_horizon):
    start = next_year(7, 1)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=1), rrule="FREQ=WEEKLY;COUNT=2")
    recurrence.materialise(event)
    recurrence.cancel_series(event, reason="Intervenant malade")
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED and event.cancellation_reason == "Intervenant malade"
    assert set(event.occurrences.values_list("status", "cancellation_reason")) == {("cancelled", "Intervenant malade")}
    assert all(o.is_public for o in event.occurrences.all())


def test_a_permanence_series_makes_permanence_occurrences_for_the_directory(far_horizon):
    start = timezone.localtime(timezone.now(), PARIS).replace(
        hour=9, minute=0, second=0, microsecond=0
    ) + datetime.timedelta(days=1)
    event = EventFactory(
        permanence=True, start=start, end=start + datetime.timedelta(hours=3), rrule="FREQ=WEEKLY;COUNT=3"
    )
    recurrence.materialise(event)
    assert set(event.occurrences.values_list("kind", "partner")) == {(OccupancyKind.PERMANENCE, event.partner_id)}
    from events import partner_permanences

    assert partner_permanences.next_by_partner([event.partner_id])[event.partner_id].start == start


def test_the_nightly_task_extends_the_rolling_horizon(settings):
    settings.EVENTS_RECURRENCE_HORIZON_DAYS = 30
    start = timezone.now() + datetime.timedelta(days=1)
    event = EventFactory(start=start, end=start + datetime.timedelta(hours=1), rrule="FREQ=WEEKLY")
    recurrence.materialise(event)
    assert event.occurrences.count() == 5
    settings.EVENTS_RECURRENCE_HORIZON_DAYS = 60
    from events.tasks import extend_recurrences_task

    assert extend_recurrences_task() >= 4
    assert event.occurrences.count() in (9, 10)
