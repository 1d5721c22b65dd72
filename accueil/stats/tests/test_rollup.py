"""The monthly roll-up (MonthlyCount) always equals the daily summary summed by month, and a period read from whole
months plus edge days gives the figures a direct aggregation of the visits gives."""

import datetime
import itertools
import random
from collections import Counter

import pytest
from django.utils import timezone

from accounts.tests.factories import UserFactory
from accueil import personal_data
from accueil.enums import Channel, MotifGroup, Outcome
from accueil.models import Visit
from accueil.services import purge_deleted_visits
from maisons.tests.factories import CommuneFactory, DirectionFactory
from partenaires.tests.factories import PartnerFactory, theme

from .. import figures, services
from ..forms import custom_period
from ..models import DailyCount, MonthlyCount
from ..services import PeriodPlan, split_period, summary_rebuild
from .test_summary import _random_edit
from .utils import at, motif, rollup, summary, summary_by_month, visit

DAY = datetime.date(2026, 3, 10)


def _consistent():
    assert rollup() == summary_by_month()
    assert not MonthlyCount.objects.filter(count__lte=0).exists()  # Emptied months are removed, never negative.


@pytest.fixture
def references():
    family = theme("famille")
    return {
        "motifs": [
            motif("CAF", MotifGroup.PARTNERS, family),
            motif("PMI", MotifGroup.DEPARTEMENT, family),
            motif("Routes"),
            motif("Impôts", MotifGroup.PARTNERS),
        ],
        "communes": [
            CommuneFactory(code_insee="52121", epci_siren="200072684", epci_name="CC A"),
            CommuneFactory(code_insee="21001", departement="21", epci_siren="200000001", epci_name="CC B"),
        ],
        "directions": [DirectionFactory(), DirectionFactory()],
        "partners": [PartnerFactory(), PartnerFactory()],
    }


@pytest.mark.parametrize("seed", [4, 5])
def test_the_rollup_follows_every_write_edit_and_deletion(seed, references, maison_langres, maison_saint_dizier):
    rng = random.Random(seed)
    maisons = [maison_langres, maison_saint_dizier]
    motifs = references["motifs"]
    visits = [
        visit(rng.choice(maisons), motifs=rng.sample(motifs, rng.randint(1, 2)), occurred_at=at(DAY, 9 + n % 8))
        for n in range(10)
    ]
    _consistent()
    for step in range(60):
        if step % 4 == 0:  # Across a month's edge, both ways: two months' rows move at once.
            target = rng.choice(visits)
            target.occurred_at = at(rng.choice([datetime.date(2026, 2, 28), DAY, datetime.date(2026, 4, 1)]), 10)
            target.save()
        else:
            _random_edit(
                rng, visits, maisons, motifs, references["communes"], references["directions"], references["partners"]
            )
        _consistent()
    assert rollup()
    assert sum(count for key, count in rollup().items() if key[2] == "total") == Visit.objects.count()


def test_a_deleted_visit_leaves_no_month_behind(maison_langres):
    created = visit(maison_langres, motifs=[motif("Routes")], occurred_at=at(DAY))
    assert rollup()[(maison_langres.pk, datetime.date(2026, 3, 1), "total", "")] == 1
    created.delete()
    assert rollup() == summary() == {}
    assert not MonthlyCount.objects.exists()


def test_anonymisation_and_the_retention_purges_leave_the_figures(maison_langres, settings):
    agent = UserFactory(maisons=[maison_langres])
    old = timezone.now() - datetime.timedelta(days=800)
    for number in range(4):
        visit(maison_langres, motifs=[motif("Routes")], occurred_at=old + datetime.timedelta(days=number), agent=agent)
    visit(maison_langres, motifs=[motif("Routes")], occurred_at=old, agent=agent, note="Rappeler lundi")
    removed = visit(maison_langres, motifs=[motif("Routes")], occurred_at=old)
    removed.deleted_at = old
    removed.save()
    assert sum(count for key, count in rollup().items() if key[2] == "total") == 5
    personal_data.purge_visit_notes(datetime.timedelta(days=90))
    personal_data.purge_visit_agents(datetime.timedelta(days=365))
    visit(maison_langres, motifs=[motif("Routes")], occurred_at=old, agent=agent)
    personal_data.erase_visits(agent)
    assert purge_deleted_visits(datetime.timedelta(minutes=10)) == 1
    assert not Visit.all_objects.filter(agent__isnull=False).exists()
    after_days, after_months = summary(), rollup()
    assert sum(count for key, count in after_months.items() if key[2] == "total") == 6
    _consistent()
    summary_rebuild()
    assert (summary(), rollup()) == (after_days, after_months)


def test_the_rebuild_rebuilds_the_months_of_its_days_only(maison_langres, maison_saint_dizier):
    days = [datetime.date(2026, 2, 27), datetime.date(2026, 3, 2), DAY, datetime.date(2026, 3, 31)]
    for day in days:
        visit(maison_langres, motifs=[motif("Routes")], occurred_at=at(day))
        visit(maison_saint_dizier, motifs=[motif("Routes")], occurred_at=at(day))
    expected = rollup()
    # A roll-up gone wrong in every way: counts changed, a row removed, a row that should not be there.
    MonthlyCount.objects.update(count=99)
    MonthlyCount.objects.filter(dimension="canal").delete()
    MonthlyCount.objects.create(maison=maison_langres, month=datetime.date(2026, 3, 1), dimension="canal", key="x")
    summary_rebuild(start=DAY, end=DAY, maison_ids=[maison_langres.pk])
    rows = rollup()
    march = datetime.date(2026, 3, 1)
    # Langres' March is whole again, from the rebuilt day and the two days the rebuild did not touch.
    assert {key: count for key, count in rows.items() if key[:2] == (maison_langres.pk, march)} == {
        key: count for key, count in expected.items() if key[:2] == (maison_langres.pk, march)
    }
    assert rows[(maison_saint_dizier.pk, march, "total", "")] == 99  # Outside the rebuild: left as it was.
    assert rows[(maison_langres.pk, datetime.date(2026, 2, 1), "total", "")] == 99
    assert summary_rebuild() == DailyCount.objects.count()
    assert rollup() == expected == summary_by_month()


def test_the_bulk_seeding_rebuild_fills_the_rollup(maison_langres):
    routes = motif("Routes")
    created = Visit.objects.bulk_create(
        [Visit(maison=maison_langres, occurred_at=at(datetime.date(2026, 1 + n % 3, 5 + n), 10)) for n in range(9)]
    )
    Visit.motifs.through.objects.bulk_create([Visit.motifs.through(visit=v, motif=routes) for v in created])
    assert rollup() == {}
    summary_rebuild()
    assert rollup() == summary_by_month()
    assert rollup()[(maison_langres.pk, datetime.date(2026, 1, 1), "total", "")] == 3


def test_a_period_is_read_from_whole_months_and_at_most_half_a_month_of_days_at_each_edge():
    date = datetime.date
    # Short edges are read from their days.
    assert split_period(date(2026, 1, 25), date(2026, 4, 10)) == PeriodPlan(
        [(date(2026, 2, 1), date(2026, 4, 1))],
        [(date(2026, 1, 25), date(2026, 2, 1)), (date(2026, 4, 1), date(2026, 4, 11))],
        [],
    )
    # Long edges as their whole month, less the month's other days.
    assert split_period(date(2026, 1, 5), date(2026, 4, 25)) == PeriodPlan(
        [(date(2026, 1, 1), date(2026, 5, 1))],
        [],
        [(date(2026, 1, 1), date(2026, 1, 5)), (date(2026, 4, 26), date(2026, 5, 1))],
    )
    assert split_period(date(2026, 1, 1), date(2026, 12, 31)) == PeriodPlan(
        [(date(2026, 1, 1), date(2027, 1, 1))], [], []
    )
    assert split_period(date(2026, 2, 1), date(2026, 2, 28)) == PeriodPlan(
        [(date(2026, 2, 1), date(2026, 3, 1))], [], []
    )
    # Within one month: its days, or the month less the days on both sides.
    assert split_period(date(2026, 2, 2), date(2026, 2, 8)) == PeriodPlan(
        [], [(date(2026, 2, 2), date(2026, 2, 9))], []
    )
    assert split_period(date(2026, 2, 2), date(2026, 2, 27)) == PeriodPlan(
        [(date(2026, 2, 1), date(2026, 3, 1))],
        [],
        [(date(2026, 2, 1), date(2026, 2, 2)), (date(2026, 2, 28), date(2026, 3, 1))],
    )
    assert split_period(date(2026, 1, 31), date(2026, 2, 1)) == PeriodPlan(
        [], [(date(2026, 1, 31), date(2026, 2, 1)), (date(2026, 2, 1), date(2026, 2, 2))], []
    )
    # Months apart are separate ranges: a short edge in between is read from its days.
    assert split_period(date(2025, 12, 10), date(2026, 1, 3)) == PeriodPlan(
        [(date(2025, 12, 1), date(2026, 1, 1))],
        [(date(2026, 1, 1), date(2026, 1, 4))],
        [(date(2025, 12, 1), date(2025, 12, 10))],
    )


def _direct(maison_ids, start, end) -> dict[str, Counter]:
    """The period's figures computed from the visits themselves (each visit's keys), not from the summary."""
    result: dict[str, Counter] = {}
    visits = Visit.all_objects.filter(deleted_at__isnull=True)
    if maison_ids is not None:
        visits = visits.filter(maison_id__in=maison_ids)
    for pk in visits.values_list("pk", flat=True):
        for (_maison, day, dimension, key), count in services.visit_contribution(pk).items():
            if start <= day <= end:
                result.setdefault(dimension, Counter())[str(key)] += count
    return result


def test_a_period_with_partial_months_gives_the_figures_of_the_visits(references, maison_langres, maison_saint_dizier):
    rng = random.Random(7)
    start, end = datetime.date(2026, 1, 20), datetime.date(2026, 4, 8)
    # Visits on the edges' days and their neighbours, in whole months, around the daylight-saving change.
    days = [start, start - datetime.timedelta(days=1), datetime.date(2026, 1, 31), datetime.date(2026, 2, 1)]
    days += [datetime.date(2026, 3, 29), datetime.date(2026, 3, 31), datetime.date(2026, 4, 1), end]
    days += [end + datetime.timedelta(days=1), datetime.date(2025, 12, 31), datetime.date(2025, 7, 2)]
    days += [datetime.date(2025, 7, 5), datetime.date(2026, 1, 4), datetime.date(2026, 3, 31)]
    days += [start + datetime.timedelta(days=rng.randint(0, 90)) for _ in range(12)]
    for day in days:
        visit(
            rng.choice([maison_langres, maison_saint_dizier]),
            motifs=rng.sample(references["motifs"], rng.randint(1, 2)),
            occurred_at=at(day, rng.choice([0, 9, 14, 23]), 30),
            channel=rng.choice(list(Channel)),
            outcome=Outcome.PARTNER,
            partner=rng.choice(references["partners"]),
            commune=rng.choice(references["communes"]),
        )
    # Short edges read from their days; long edges read as their month less its other days.
    spans = [(start, end), (datetime.date(2026, 1, 5), datetime.date(2026, 3, 30))]
    assert split_period(*spans[0]).added and split_period(*spans[1]).subtracted
    for (first, last), maison_ids in itertools.product(spans, (None, [maison_langres.pk])):
        direct = _direct(maison_ids, first, last)
        counts = services.counts_by_dimension(maison_ids, first, last)
        assert {dimension: values for dimension, values in counts.items() if values} == direct
        assert (
            counts["total"][""]
            == Visit.objects.filter(
                occurred_at__gte=at(first, 0), occurred_at__lt=at(last + datetime.timedelta(days=1), 0)
            )
            .filter(**({"maison_id__in": maison_ids} if maison_ids else {}))
            .count()
        )
    # The page over the same period and over more than 190 days (a chart by month, read with the counts).
    for period in (custom_period(start, end), custom_period(datetime.date(2025, 7, 5), end)):
        stats = figures.statistics(None, period)
        direct = _direct(None, period.start, period.end)
        assert stats.total == direct["total"][""]
        assert sum(row.value for row in stats.time.rows) == stats.total
        previous = _direct(None, period.previous_start, period.previous_end)
        assert stats.previous_total == previous.get("total", Counter())[""]
    by_month = Counter()
    for day, count in services.visits_per_day(None, period.start, period.end).items():
        by_month[day.replace(day=1)] += count
    months = [datetime.date(2025, month, 1) for month in range(7, 13)]
    months += [datetime.date(2026, month, 1) for month in range(1, 5)]
    assert stats.time.label_column == "Mois"
    assert [row.value for row in stats.time.rows] == [by_month[month] for month in months]
