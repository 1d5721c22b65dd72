"""Every constraint of a visit, held by the database itself (Invariant 3 and issue 8)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError

from accueil.enums import Outcome, Residence
from accueil.models import Visit, local_day_bounds
from accueil.tests.factories import MotifFactory, VisitFactory
from maisons.tests.factories import DirectionFactory
from partenaires.tests.factories import PartnerFactory

PARIS = ZoneInfo("Europe/Paris")


def violates(**fields) -> bool:
    try:
        with transaction.atomic():
            VisitFactory(**fields)
    except IntegrityError:
        return True
    return False


@pytest.fixture
def base(maison_langres):
    return {"maison": maison_langres}


def test_a_plain_visit_is_accepted(base):
    assert not violates(**base)


def test_the_note_is_limited_by_the_database(base):
    assert not violates(**base, note="x" * 500)
    assert violates(**base, note="x" * 501)


@pytest.mark.parametrize(
    "field", ["channel", "outcome", "residence", "age_band", "sex", "duration_band", "satisfaction"]
)
def test_an_enum_field_refuses_a_value_off_its_list(base, field):
    assert violates(**base, **{field: "zz"})


def test_an_orientation_to_a_direction_names_it(base):
    assert violates(**base, outcome=Outcome.DIRECTION)
    assert not violates(**base, outcome=Outcome.DIRECTION, direction=DirectionFactory())


def test_an_orientation_to_a_partner_names_it(base):
    assert violates(**base, outcome=Outcome.PARTNER)
    assert not violates(**base, outcome=Outcome.PARTNER, partner=PartnerFactory())


def test_a_visit_has_one_destination_at_most(base):
    assert violates(**base, outcome=Outcome.PARTNER, partner=PartnerFactory(), direction=DirectionFactory())


def test_a_commune_goes_with_a_residence_in_a_commune(base, commune_langres):
    assert violates(**base, residence=Residence.COMMUNE)
    assert violates(**base, residence=Residence.NOT_GIVEN, commune=commune_langres)
    assert violates(**base, residence=Residence.ABROAD, commune=commune_langres)
    assert not violates(**base, residence=Residence.COMMUNE, commune=commune_langres)
    assert not violates(**base, residence=Residence.ABROAD)


def test_the_entry_token_is_unique(base):
    VisitFactory(**base, token="0b1c8f8e-4a52-4a3b-9e8e-52a1a2b3c4d5")
    assert violates(**base, token="0b1c8f8e-4a52-4a3b-9e8e-52a1a2b3c4d5")


def test_a_reason_in_use_cannot_be_deleted(base):
    motif = MotifFactory(label="Culture")
    VisitFactory(**base, motifs=[motif])
    with pytest.raises(ProtectedError), transaction.atomic():
        motif.delete()


def test_a_motif_group_is_one_of_the_list():
    with pytest.raises(IntegrityError), transaction.atomic():
        MotifFactory(group="autre-chose")


def test_a_deleted_visit_leaves_the_default_manager(base):
    visit = VisitFactory(**base)
    Visit.objects.filter(pk=visit.pk).update(deleted_at=datetime.datetime(2026, 1, 5, tzinfo=PARIS))
    assert not Visit.objects.filter(pk=visit.pk).exists()
    assert Visit.all_objects.filter(pk=visit.pk).exists()


def test_a_day_is_a_local_range_even_across_a_dst_change(base):
    # 25 October 2026: clocks go back at 03:00 CEST, the day lasts 25 hours.
    start, end = local_day_bounds(datetime.date(2026, 10, 25))
    assert end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(hours=25)
    late = VisitFactory(**base, occurred_at=datetime.datetime(2026, 10, 25, 23, 30, tzinfo=PARIS))
    early_next = VisitFactory(**base, occurred_at=datetime.datetime(2026, 10, 26, 0, 10, tzinfo=PARIS))
    assert list(Visit.objects.on_day(datetime.date(2026, 10, 25))) == [late]
    assert list(Visit.objects.on_day(datetime.date(2026, 10, 26))) == [early_next]
    start, end = local_day_bounds(datetime.date(2026, 3, 29))
    assert end.astimezone(datetime.UTC) - start.astimezone(datetime.UTC) == datetime.timedelta(hours=23)


def test_a_day_is_filtered_with_the_index(base):
    sql = str(Visit.objects.on_day(datetime.date(2026, 10, 25)).query)
    assert "::date" not in sql and "AT TIME ZONE" not in sql
