import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from accueil.models import Motif
from accueil.tests.factories import VisitFactory
from partenaires.enums import Area, Audience
from partenaires.models import Partner, Service, Theme
from partenaires.validators import luhn_valid, normalise_siret, siret_validator

from .factories import PartnerFactory, ServiceFactory

VALID_SIRET = "73282932000074"
LA_POSTE_SIRET = "35600000000010"  # La Poste: sum of the digits a multiple of 5, not the Luhn key.


def test_siret_check_digit():
    assert luhn_valid(VALID_SIRET)
    siret_validator(VALID_SIRET)
    siret_validator(LA_POSTE_SIRET)
    assert not luhn_valid(LA_POSTE_SIRET)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("73282932000075", "clé de contrôle est fausse"),
        ("7328293200007", "compte 14 chiffres"),
        ("7328293200007A", "compte 14 chiffres"),
        ("35600000000011", "clé de contrôle est fausse"),
    ],
)
def test_siret_refused_in_french(value, message):
    with pytest.raises(ValidationError, match=message):
        siret_validator(value)


def test_siret_spaces_are_removed():
    assert normalise_siret("732 829 320 00074") == VALID_SIRET
    assert normalise_siret("732.829.320.00074") == VALID_SIRET


def test_siret_is_optional_but_unique_when_present():
    PartnerFactory(siret="")
    PartnerFactory(siret="")  # Several partners without SIRET.
    PartnerFactory(siret=VALID_SIRET)
    duplicate = Partner(name="Doublon", slug="doublon", siret=VALID_SIRET)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Un autre partenaire porte déjà ce numéro SIRET." in str(error.value)
    with pytest.raises(IntegrityError):
        duplicate.save()


def test_opening_hours_are_validated_on_the_model():
    partner = PartnerFactory.build(opening_hours="Lu-Ve 9h-12h")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert "n’est pas un jour reconnu" in str(error.value.message_dict["opening_hours"])


def test_a_logo_needs_its_alternative_text():
    partner = PartnerFactory()
    partner.logo = "partenaires/logos/abc.png"
    with pytest.raises(ValidationError, match="texte alternatif du logo"):
        partner.validate_constraints()
    with pytest.raises(IntegrityError):
        Partner.objects.filter(pk=partner.pk).update(logo="partenaires/logos/abc.png", logo_alt="")


def test_service_names_are_unique_per_partner_and_an_epci_area_lists_epcis():
    service = ServiceFactory(name="Accès aux droits")
    ServiceFactory(name="Accès aux droits")  # Another partner.
    with pytest.raises(ValidationError, match="propose déjà un service de ce nom"):
        Service(partner=service.partner, name="Accès aux droits").full_clean()
    with pytest.raises(ValidationError, match="au moins une intercommunalité"):
        Service(partner=service.partner, name="Autre", area=Area.EPCI).full_clean()
    with pytest.raises(ValidationError, match="SIREN d’intercommunalité"):
        Service(partner=service.partner, name="Autre", area=Area.EPCI, epci_codes=["12"]).full_clean()


def test_themes_are_data_inclusion_thematic_list():
    """The migration's frozen copy is the package's list; the table holds it (again after a flush, themes_sync)."""
    import importlib

    from data_inclusion.schema.v1.thematiques import Categorie, Thematique

    from partenaires.themes import themes_sync

    migration = importlib.import_module("partenaires.migrations.0004_load_data_inclusion_themes")
    assert migration.CATEGORIES == [(item.value, item._label) for item in Categorie]
    assert migration.THEMES == [(item.value, item._label) for item in Thematique]
    themes_sync()
    codes = set(Theme.objects.values_list("code", flat=True))
    assert codes == {item.value for item in Categorie} | {item.value for item in Thematique}
    health = Theme.objects.get(code="sante--acces-aux-soins")
    assert health.parent.code == "sante"
    assert health.label == "Accès aux soins"


def test_audiences_are_data_inclusion_publics():
    from data_inclusion.schema.v1.publics import Public

    assert set(Audience.values) == {item.value for item in Public}


def test_a_retired_partner_leaves_the_directory_but_stays_on_visits(maison_langres):
    partner = PartnerFactory()
    motif = Motif.objects.create(label="Orientation")
    visit = VisitFactory(maison=maison_langres, motifs=[motif], outcome="partenaire", partner=partner)
    from partenaires.services import partner_retire

    partner_retire(partner=partner)
    assert not Partner.objects.published().filter(pk=partner.pk).exists()
    visit.refresh_from_db()
    assert visit.partner == partner


def test_themes_sync_restores_a_flushed_list():
    from partenaires.themes import themes_sync

    Theme.objects.filter(parent__isnull=False).delete()
    Theme.objects.all().delete()
    assert themes_sync() == Theme.objects.count() > 80
    assert themes_sync() == 0
