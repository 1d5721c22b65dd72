"""The open-data exports in the data·inclusion schema, validated by the schema's own package (pydantic models)."""

import csv
import datetime
import io

import pytest
from data_inclusion.schema.v1 import Public, Thematique
from data_inclusion.schema.v1 import Service as DIService
from data_inclusion.schema.v1 import Structure as DIStructure
from django.utils import timezone

from maisons.models import Commune
from partenaires import data_inclusion, quality
from partenaires.enums import AccessMode, Area, Audience, Fees
from partenaires.tests.factories import PartnerContactFactory, PartnerFactory, ServiceFactory, theme

LONG_DESCRIPTION = "Accompagnement personnalisé dans les démarches d’accès aux droits. " * 5


@pytest.fixture
def full_partner(maison_saint_dizier):
    partner = PartnerFactory(
        name="Caisse d’allocations familiales de la Haute-Marne",
        slug="caf",
        siret="53408366500034",
        address="2 rue de la Gare",
        postal_code="52100",
        commune=maison_saint_dizier.commune,
        website="https://www.caf.fr",
        opening_hours="Mo-Fr 08:30-12:00,13:30-16:30; PH off",
        themes=[theme("famille")],
    )
    ServiceFactory(
        partner=partner,
        name="Accompagnement aux démarches",
        description=LONG_DESCRIPTION,
        themes=[theme("famille--garde-denfants"), theme("famille")],
        audiences=[Audience.FAMILIES, Audience.YOUNG],
        access_modes=[AccessMode.ON_SITE, AccessMode.PHONE, AccessMode.ONLINE],
        fees=Fees.FREE,
        documents="Pièce d’identité, numéro d’allocataire.",
    )
    return partner


def test_structures_validate_against_the_package(full_partner):
    PartnerFactory(description="", phone="", email="", name="Association sans rien")
    records = list(data_inclusion.structures())
    assert len(records) == 2
    for record in records:
        DIStructure.model_validate(record, context={"ignore_warnings": False})
    caf = next(record for record in records if record["siret"])
    assert caf["id"] == f"maisons-departement-52--{full_partner.pk}"
    assert caf["code_insee"] == full_partner.commune.code_insee
    assert caf["horaires_accueil"] == "Mo-Fr 08:30-12:00,13:30-16:30; PH off"
    assert caf["lien_source"].endswith("/partenaires/caf/")


def test_services_validate_with_the_schema_reference_lists(full_partner):
    records = list(data_inclusion.services())
    assert len(records) == 1
    record = records[0]
    service = DIService.model_validate(record, context={"ignore_warnings": False})
    assert service.thematiques == {Thematique("famille--garde-denfants")}  # A category alone is not a theme.
    assert service.publics == {Public.FAMILLES, Public.JEUNES}
    assert record["modes_accueil"] == ["en-presentiel", "a-distance"]
    assert record["modes_mobilisation"] == ["se-presenter", "telephoner", "utiliser-lien-mobilisation"]
    assert record["lien_mobilisation"] == "https://www.caf.fr"
    assert record["zone_eligibilite"] == ["52"]
    assert record["frais"] == "gratuit"
    assert record["structure_id"] == data_inclusion.structure_id(full_partner.pk)


def test_every_area_and_audience_maps_to_valid_values(maison_saint_dizier):
    partner = PartnerFactory(email="", phone="")
    communes = list(Commune.objects.filter(departement="52")[:2])
    by_communes = ServiceFactory(partner=partner, area=Area.COMMUNES, audiences=[Audience.EVERYONE, Audience.WOMEN])
    by_communes.communes.set(communes)
    ServiceFactory(partner=partner, area=Area.EPCI, epci_codes=["200068732"], summary="", access_modes=["rendez_vous"])
    for value in Audience.values:
        ServiceFactory(partner=partner, audiences=[value], fees=Fees.PAID, fees_details="5 €")
    records = list(data_inclusion.services())
    for record in records:
        DIService.model_validate(record, context={"ignore_warnings": False})
    zones = {tuple(record["zone_eligibilite"] or ()) for record in records}
    assert tuple(sorted(c.code_insee for c in communes)) in zones
    assert ("200068732",) in zones
    everyone = next(record for record in records if record["id"] == data_inclusion.service_id(by_communes.pk))
    assert everyone["publics"] == ["tous-publics"]  # The schema: « tous-publics » stands alone.


def test_exports_never_publish_contacts_nor_unpublished_entries(full_partner):
    PartnerContactFactory(partner=full_partner, name="Camille Secrète", email="camille.secrete@exemple.test")
    hidden = PartnerFactory(is_published=False, name="Partenaire caché")
    ServiceFactory(partner=hidden, name="Service caché")
    ServiceFactory(partner=full_partner, name="Service en préparation", is_published=False)
    retired = PartnerFactory(name="Partenaire retiré", retired_at=timezone.now())
    ServiceFactory(partner=retired, name="Service d’un retiré")
    text = str(list(data_inclusion.structures())) + str(list(data_inclusion.services()))
    for secret in ("Camille", "camille.secrete", "caché", "préparation", "retiré"):
        assert secret not in text


def test_csv_has_the_schema_columns_and_formula_safe_cells(full_partner):
    PartnerFactory(name='=HYPERLINK("http://evil")', slug="evil", description="+33 cmd")
    content = data_inclusion.to_csv(data_inclusion.structures(), data_inclusion.STRUCTURE_FIELDS)
    rows = list(csv.DictReader(io.StringIO(content)))
    assert list(rows[0]) == data_inclusion.STRUCTURE_FIELDS
    evil = next(row for row in rows if "HYPERLINK" in row["nom"])
    assert evil["nom"].startswith("'=")
    assert evil["description"].startswith("'+")
    services = data_inclusion.to_csv(data_inclusion.services(), data_inclusion.SERVICE_FIELDS)
    row = next(csv.DictReader(io.StringIO(services)))
    assert row["publics"] == "familles,jeunes"


def test_exports_run_a_fixed_number_of_queries(django_assert_max_num_queries, maison_saint_dizier):
    def build(count):
        for _ in range(count):
            partner = PartnerFactory(themes=[theme("famille")])
            service = ServiceFactory(partner=partner, themes=[theme("famille--garde-denfants")], area=Area.COMMUNES)
            service.communes.set([maison_saint_dizier.commune])

    build(3)
    with django_assert_max_num_queries(4):
        assert len(list(data_inclusion.services())) == 3
    build(20)
    with django_assert_max_num_queries(4):
        assert len(list(data_inclusion.services())) == 23
    with django_assert_max_num_queries(1):
        assert len(list(data_inclusion.structures())) == 23


def test_quality_uses_the_package_score(full_partner):
    weak = ServiceFactory(partner=PartnerFactory(phone="", email="", description=""), summary="", description="")
    items = quality.qualities()
    assert items[0].service == weak  # Weakest first.
    assert items[0].score < items[-1].score
    missing = {criterion.name for criterion in items[0].missing}
    assert {"au_moins_un_public", "au_moins_une_thematique", "description_bien_definie"} <= missing
    assert all(criterion.advice for criterion in items[0].missing)
    strong = items[-1]
    assert strong.score == 1.0, [(c.name, c.value) for c in strong.missing]


def test_quality_falls_with_age(full_partner):
    service = full_partner.services.get()
    old = timezone.now() - datetime.timedelta(days=800)
    type(service).objects.filter(pk=service.pk).update(updated_at=old)
    item = quality.qualities()[0]
    assert next(c for c in item.criteria if c.name == "date_maj_recente").value == 0
    assert item.score < 1
