import datetime
import random

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accueil.enums import AgeBand, Channel, DurationBand, MotifGroup, Outcome, Residence, Satisfaction, Sex
from accueil.models import Motif, Visit
from maisons.tests.factories import CommuneFactory, DirectionFactory
from partenaires.tests.factories import PartnerFactory, theme

from ..models import DailyCount, Dimension
from ..services import summary_rebuild
from .utils import at, motif, summary, visit

DAY = datetime.date(2026, 3, 10)  # A Tuesday.


def test_a_new_visit_counts_once_in_every_dimension(maison_langres):
    commune = CommuneFactory(code_insee="52121", name="Chalindrey", epci_siren="200072684", epci_name="CC Vingeanne")
    caf = motif("CAF", MotifGroup.PARTNERS, theme("famille"))
    roads = motif("Routes", MotifGroup.DEPARTEMENT)
    created = visit(
        maison_langres,
        motifs=[caf, roads],
        occurred_at=at(DAY, 14, 35),
        channel=Channel.PHONE,
        commune=commune,
        age_band=AgeBand.OVER_65,
        sex=Sex.WOMAN,
        duration_band=DurationBand.OVER_30,
        first_visit=True,
        satisfaction=Satisfaction.SATISFIED,
    )
    rows = summary()
    key = (maison_langres.pk, DAY)
    assert rows[(*key, "total", "")] == 1
    assert rows[(*key, "canal", "telephone")] == 1
    assert rows[(*key, "motif", str(caf.pk))] == rows[(*key, "motif", str(roads.pk))] == 1
    assert rows[(*key, "groupe", "partenaires")] == rows[(*key, "groupe", "departement")] == 1
    assert rows[(*key, "theme", str(caf.theme_id))] == rows[(*key, "theme", "")] == 1
    assert rows[(*key, "commune", "52121")] == rows[(*key, "epci", "200072684")] == 1
    assert rows[(*key, "age", "plus_65")] == rows[(*key, "sexe", "femme")] == 1
    assert rows[(*key, "premiere", "oui")] == rows[(*key, "satisfaction", "satisfait")] == 1
    assert rows[(*key, "jour_heure", "2-14")] == 1
    assert rows[(*key, "duree", "plus_30")] == 1
    assert sum(count for (_m, _d, dimension, _k), count in rows.items() if dimension == "total") == 1
    created.refresh_from_db()
    assert created.motifs.count() == 2


def test_two_reasons_of_one_theme_count_the_theme_once(maison_langres):
    family = theme("famille")
    visit(maison_langres, motifs=[motif("CAF", theme=family), motif("PMI", theme=family)], occurred_at=at(DAY))
    assert DailyCount.objects.get(dimension=Dimension.THEME, key=str(family.pk)).count == 1
    assert DailyCount.objects.get(dimension=Dimension.MOTIF, key=str(Motif.objects.get(label="PMI").pk)).count == 1


def test_the_local_day_counts_across_the_daylight_saving_change(maison_langres):
    # 29 March 2026: clocks go forward at 02:00. 23:30 local is 21:30 UTC, still the 29th in Paris.
    late = timezone.make_aware(datetime.datetime(2026, 3, 29, 23, 30))
    assert late.astimezone(datetime.UTC).day == 29
    early = timezone.make_aware(datetime.datetime(2026, 10, 25, 0, 30))  # Clocks go back that night.
    assert early.astimezone(datetime.UTC).day == 24
    visit(maison_langres, motifs=[motif("Routes")], occurred_at=late)
    visit(maison_langres, motifs=[motif("Routes")], occurred_at=early)
    days = set(DailyCount.objects.filter(dimension="total").values_list("day", flat=True))
    assert days == {datetime.date(2026, 3, 29), datetime.date(2026, 10, 25)}
    assert set(DailyCount.objects.filter(dimension="jour_heure").values_list("key", flat=True)) == {"7-23", "7-00"}
    before = summary()
    summary_rebuild()
    assert summary() == before


def test_a_soft_deleted_visit_counts_nowhere_and_its_undo_counts_again(maison_langres):
    created = visit(maison_langres, motifs=[motif("Routes")], occurred_at=at(DAY))
    created.deleted_at = timezone.now()
    created.save()
    assert summary() == {}
    created.deleted_at = None
    created.save()
    assert summary()[(maison_langres.pk, DAY, "total", "")] == 1
    created.delete()
    assert summary() == {}


def test_a_failed_change_leaves_the_summary_as_it_was(maison_langres):
    created = visit(maison_langres, motifs=[motif("Routes")], occurred_at=at(DAY))
    before = summary()
    created.outcome = Outcome.DIRECTION  # Without a direction: the database refuses it.
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017
        created.save()
    assert summary() == before


def _random_edit(rng, visits, maisons, motifs, communes, directions, partners):
    target = rng.choice(visits)
    action = rng.randrange(12)
    if action == 0:
        target.occurred_at = at(DAY + datetime.timedelta(days=rng.randint(-3, 3)), rng.randint(8, 18))
    elif action == 1:
        target.maison = rng.choice(maisons)
    elif action == 2:
        target.channel = rng.choice(list(Channel))
    elif action == 3:
        target.outcome = rng.choice([Outcome.ANSWERED, Outcome.DIRECTION, Outcome.PARTNER, Outcome.CALL_BACK])
        target.direction = rng.choice(directions) if target.outcome == Outcome.DIRECTION else None
        target.partner = rng.choice(partners) if target.outcome == Outcome.PARTNER else None
    elif action == 4:
        residence = rng.choice(list(Residence))
        target.residence = residence
        target.commune = rng.choice(communes) if residence == Residence.COMMUNE else None
    elif action == 5:
        target.age_band, target.sex = rng.choice(["", *AgeBand]), rng.choice(["", *Sex])
        target.first_visit = rng.choice([None, True, False])
        target.satisfaction = rng.choice(["", *Satisfaction])
    elif action == 6:
        target.motifs.add(*rng.sample(motifs, 2))
        return
    elif action == 7:
        target.motifs.remove(rng.choice(motifs))
        return
    elif action == 8:
        target.motifs.set(rng.sample(motifs, rng.randint(1, 3)))
        return
    elif action == 9:
        rng.choice(motifs).visits.remove(target)  # From the reason's side.
        return
    elif action == 10:
        target.deleted_at = None if target.deleted_at else timezone.now()
    else:
        if rng.random() < 0.3:
            visits.remove(target)
            target.delete()
        else:
            visits.append(visit(rng.choice(maisons), motifs=rng.sample(motifs, 1), occurred_at=at(DAY, 11)))
        return
    target.save()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_incremental_updates_equal_a_rebuild_after_random_edits(seed, maison_langres, maison_saint_dizier):
    rng = random.Random(seed)
    maisons = [maison_langres, maison_saint_dizier]
    family = theme("famille")
    motifs = [
        motif("CAF", MotifGroup.PARTNERS, family),
        motif("PMI", MotifGroup.DEPARTEMENT, family),
        motif("Routes"),
        motif("Impôts", MotifGroup.PARTNERS),
        motif("Autre", MotifGroup.OTHER),
    ]
    communes = [
        CommuneFactory(code_insee="52121", epci_siren="200072684", epci_name="CC A"),
        CommuneFactory(code_insee="52122", epci_siren="", epci_name=""),
        CommuneFactory(code_insee="21001", departement="21", epci_siren="200000001", epci_name="CC B"),
    ]
    directions = [DirectionFactory(), DirectionFactory()]
    partners = [PartnerFactory(), PartnerFactory()]
    visits = [
        visit(rng.choice(maisons), motifs=rng.sample(motifs, rng.randint(1, 2)), occurred_at=at(DAY, 9 + n % 8))
        for n in range(12)
    ]
    for _ in range(80):
        _random_edit(rng, visits, maisons, motifs, communes, directions, partners)
    incremental = summary()
    assert incremental
    assert not DailyCount.objects.filter(count__lte=0).exists()  # Emptied rows are removed, never negative.
    summary_rebuild()
    assert summary() == incremental
    alive = Visit.objects.count()
    assert sum(count for key, count in incremental.items() if key[2] == "total") == alive


def test_the_rebuild_is_idempotent_and_can_be_limited_to_a_period_and_maisons(maison_langres, maison_saint_dizier):
    for offset in range(3):
        visit(maison_langres, motifs=[motif("Routes")], occurred_at=at(DAY + datetime.timedelta(days=offset)))
        visit(maison_saint_dizier, motifs=[motif("Routes")], occurred_at=at(DAY + datetime.timedelta(days=offset)))
    expected = summary()
    DailyCount.objects.update(count=99)
    summary_rebuild(
        start=DAY + datetime.timedelta(days=1), end=DAY + datetime.timedelta(days=1), maison_ids=[maison_langres.pk]
    )
    rows = summary()
    assert {
        key
        for key, count in rows.items()
        if count == 99 and key[0] == maison_langres.pk and key[1] != DAY + datetime.timedelta(days=1)
    }
    assert all(
        rows[key] == expected[key]
        for key in rows
        if key[0] == maison_langres.pk and key[1] == DAY + datetime.timedelta(days=1)
    )
    call_command("stats_rebuild")
    call_command("stats_rebuild")
    assert summary() == expected
    call_command("stats_rebuild", "--du", "2026-03-11", "--au", "2026-03-11", "--maison", "langres")
    assert summary() == expected


def test_the_rebuild_command_refuses_bad_arguments():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Date invalide"):
        call_command("stats_rebuild", "--du", "hier")
    with pytest.raises(CommandError, match="précéder"):
        call_command("stats_rebuild", "--du", "2026-03-12", "--au", "2026-03-11")
    with pytest.raises(CommandError, match="Maison inconnue"):
        call_command("stats_rebuild", "--maison", "nulle-part")


def test_bulk_created_visits_are_counted_by_the_rebuild(maison_langres):
    routes = motif("Routes")
    created = Visit.objects.bulk_create([Visit(maison=maison_langres, occurred_at=at(DAY, 9 + n)) for n in range(5)])
    Visit.motifs.through.objects.bulk_create([Visit.motifs.through(visit=v, motif=routes) for v in created])
    assert summary() == {}
    summary_rebuild()
    assert summary()[(maison_langres.pk, DAY, "total", "")] == 5
    assert summary()[(maison_langres.pk, DAY, "motif", str(routes.pk))] == 5


def test_the_reception_services_move_the_summary_once_per_visit(maison_langres):
    """visit_log and visit_update follow the visit once, at the end of their transaction (receivers.grouped): the
    summary then equals a rebuild, as after changes followed step by step."""
    from accueil import services as reception
    from accueil.stats.receivers import grouped

    roads, caf = motif("Routes"), motif("CAF", MotifGroup.PARTNERS, theme("famille"))
    logged, created = reception.visit_log(
        agent=None, maison=maison_langres, token=None, motifs=[roads, caf, roads], channel=Channel.PHONE
    )
    assert created and sorted(logged.motifs.values_list("label", flat=True)) == ["CAF", "Routes"]
    today = timezone.localdate()
    assert summary()[(maison_langres.pk, today, "motif", str(caf.pk))] == 1
    reception.visit_update(visit=logged, motifs=[roads], channel=Channel.EMAIL)
    rows = summary()
    assert (maison_langres.pk, today, "motif", str(caf.pk)) not in rows
    assert rows[(maison_langres.pk, today, "canal", "courriel")] == rows[(maison_langres.pk, today, "total", "")] == 1
    summary_rebuild()
    assert summary() == rows
    # Inside one block, several changes of one visit and the deletion of another: the summary moves once, at the end.
    other = visit(maison_langres, motifs=[caf], occurred_at=at(DAY))
    with CaptureQueriesContext(connection) as queries, transaction.atomic(), grouped():
        logged.channel = Channel.IN_PERSON
        logged.save()
        logged.motifs.add(caf)
        other.delete()
    upserts = [query for query in queries.captured_queries if query["sql"].startswith("WITH delta")]
    assert len(upserts) == 1
    rows = summary()
    assert rows[(maison_langres.pk, today, "canal", "physique")] == 1
    assert rows[(maison_langres.pk, today, "motif", str(caf.pk))] == 1
    assert (maison_langres.pk, DAY, "total", "") not in rows
    summary_rebuild()
    assert summary() == rows
