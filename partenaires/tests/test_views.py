import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.enums import Role
from core import pagecache
from events.enums import OccupancyKind
from events.tests.factories import OccupancyFactory, period
from maisons.tests.factories import CommuneFactory
from partenaires.enums import Area, PartnerKind
from partenaires.models import Partner, Service
from partenaires.services import partner_retire, partner_save, service_save

from .factories import PartnerContactFactory, PartnerFactory, ServiceFactory, theme


def names(response) -> list[str]:
    return [partner.name for partner, _ in response.context["results"]]


@pytest.fixture
def cpam(commune_saint_dizier):
    partner = PartnerFactory(
        name="Caisse primaire d’assurance maladie",
        slug="cpam",
        acronym="CPAM",
        kind=PartnerKind.SOCIAL_SECURITY,
        commune=commune_saint_dizier,
        description="La Sécurité sociale pour votre santé : remboursements, carte Vitale.",
        themes=[theme("sante--acces-aux-soins")],
    )
    return partner


def test_search_is_accent_insensitive(client, cpam):
    PartnerFactory(name="Club de pétanque", description="Boules et convivialité.")
    response = client.get("/partenaires/", {"q": "securite sociale"})
    assert response.status_code == 200
    assert names(response) == ["Caisse primaire d’assurance maladie"]
    assert names(client.get("/partenaires/", {"q": "SÉCURITÉ"})) == ["Caisse primaire d’assurance maladie"]
    assert names(client.get("/partenaires/", {"q": "remboursement"})) == ["Caisse primaire d’assurance maladie"]


def test_search_finds_services_and_follows_their_changes(client, cpam):
    other = PartnerFactory(name="Association Domicile Plus")
    assert names(client.get("/partenaires/", {"q": "surendettement"})) == []
    service = Service(partner=other, name="Aide au budget", summary="Prévenir le surendettement.")
    service_save(service=service, themes=[theme("difficultes-financieres--situation-dendettement-surendettement")])
    assert names(client.get("/partenaires/", {"q": "surendettement"})) == ["Association Domicile Plus"]
    service.is_published = False
    service_save(service=service)
    assert names(client.get("/partenaires/", {"q": "surendettement"})) == []


def test_a_search_counts_its_matches_in_the_query_of_its_page(client):
    for number in range(23):
        PartnerFactory(name=f"Mission locale {number:02d}", description="Emploi des jeunes.")
    PartnerFactory(name="Club de pétanque", description="Boules.")

    with CaptureQueriesContext(connection) as queries:
        first = client.get("/partenaires/", {"q": "emploi jeunes"})
    counted = [query["sql"] for query in queries.captured_queries if "COUNT(*)" in query["sql"]]
    assert len(counted) == 1 and "OVER ()" in counted[0] and "ts_rank" in counted[0]  # No second query to count.
    second = client.get("/partenaires/", {"q": "emploi jeunes", "page": "2"})
    beyond = client.get("/partenaires/", {"q": "emploi jeunes", "page": "7"})

    assert first.context["page_obj"].paginator.count == 23 and len(names(first)) == 20
    assert "23 partenaires trouvés" in " ".join(first.content.decode().split())
    assert len(names(second)) == 3 and set(names(first)).isdisjoint(names(second))
    assert names(beyond) == names(second)  # Past the last page: the last one, as Django's paginator does.
    nothing = client.get("/partenaires/", {"q": "astronomie"})
    assert nothing.context["page_obj"].paginator.count == 0 and names(nothing) == []


def test_filter_by_theme_takes_sub_themes_and_services(client, cpam):
    lodging = PartnerFactory(name="ADIL")
    ServiceFactory(partner=lodging, themes=[theme("logement-hebergement--louer-un-logement")])
    assert names(client.get("/partenaires/", {"theme": "logement-hebergement"})) == ["ADIL"]
    assert names(client.get("/partenaires/", {"theme": "sante--acces-aux-soins"})) == [cpam.name]
    assert names(client.get("/partenaires/", {"theme": "sante"})) == [cpam.name]


def test_filter_by_commune_finds_partners_there_and_those_serving_it(client, cpam, commune_langres):
    chaumont = CommuneFactory(code_insee="52121", name="Chaumont", postal_codes=["52000"], epci_siren="200068732")
    commune_langres.epci_siren = "200068732"
    commune_langres.save()
    local = PartnerFactory(name="Mairie de Langres", commune=commune_langres)
    everywhere = PartnerFactory(name="CAF", commune=chaumont)
    ServiceFactory(partner=everywhere, area=Area.DEPARTEMENT)
    epci = PartnerFactory(name="Transport à la demande", commune=chaumont)
    ServiceFactory(partner=epci, area=Area.EPCI, epci_codes=["200068732"])
    listed = PartnerFactory(name="Épicerie solidaire", commune=chaumont)
    service = ServiceFactory(partner=listed, area=Area.COMMUNES)
    service.communes.set([commune_langres])
    PartnerFactory(name="Ailleurs", commune=chaumont)
    expected = ["CAF", "Épicerie solidaire", local.name, "Transport à la demande"]
    assert sorted(names(client.get("/partenaires/", {"commune": "langres"}))) == sorted(expected)
    assert sorted(names(client.get("/partenaires/", {"commune": "52200"}))) == sorted(expected)
    response = client.get("/partenaires/", {"commune": "Atlantide"})
    assert "Commune inconnue" in response.content.decode()
    assert names(response) == []


def test_results_are_paginated_and_keep_the_filters(client):
    for number in range(25):
        PartnerFactory(name=f"Association n° {number:02d}", themes=[theme("famille--garde-denfants")])
    response = client.get("/partenaires/", {"theme": "famille"})
    assert len(names(response)) == 20
    assert "?theme=famille&amp;page=2" in response.content.decode()
    assert len(names(client.get("/partenaires/", {"theme": "famille", "page": 2}))) == 5


def test_each_result_shows_its_next_public_permanence(client, cpam, maison_saint_dizier):
    start = timezone.now() + datetime.timedelta(days=3)
    OccupancyFactory(
        kind=OccupancyKind.PERMANENCE,
        title="Permanence CPAM",
        maison=maison_saint_dizier,
        partner=cpam,
        is_public=True,
        period=period(start.replace(hour=9, minute=0, second=0, microsecond=0)),
    )
    OccupancyFactory(kind=OccupancyKind.PERMANENCE, maison=maison_saint_dizier, partner=cpam, is_public=False)
    (partner, permanence), *_ = client.get("/partenaires/").context["results"]
    assert permanence.maison_name == "Maison du Département de Saint-Dizier"
    page = client.get("/partenaires/cpam/").content.decode()
    assert "Maison du Département de Saint-Dizier" in page
    assert page.count("<time") == 1  # The private one is not shown.


def test_partner_page_says_hours_in_french_and_marks_up_schema_org(client, cpam):
    cpam.opening_hours = "Mo-Fr 08:30-12:00,13:30-17:00; PH off"
    cpam.phone = "03 25 00 00 01"
    cpam.description = "Santé </script><script>alert(1)</script>"
    partner_save(partner=cpam)
    ServiceFactory(partner=cpam, name="Carte Vitale")
    page = client.get("/partenaires/cpam/").content.decode()
    assert "Du lundi au vendredi de 8 h 30 à 12 h 00 et de 13 h 30 à 17 h 00" in page
    assert "Fermé les jours fériés" in page
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    assert "</script>" not in script and "<script>" not in script
    data = json.loads(script)
    assert data["@type"] == "GovernmentOrganization"
    assert data["address"]["addressLocality"] == "Saint-Dizier"
    assert data["contactPoint"]["telephone"] == "03 25 00 00 01"
    assert data["openingHours"] == ["Mo-Fr 08:30-12:00", "Mo-Fr 13:30-17:00"]
    assert data["hasOfferCatalog"]["itemListElement"][0]["itemOffered"]["name"] == "Carte Vitale"


def test_contacts_are_never_shown_to_the_public(client, client_for, cpam):
    PartnerContactFactory(partner=cpam, name="Dominique Secret", notes="Code porte 1234")
    for viewer in ("anonymous", None, Role.ELECTED, Role.COMMUNICATION):
        page = client_for(viewer).get("/partenaires/cpam/").content.decode()
        assert "Dominique Secret" not in page and "Code porte" not in page, viewer
        client.logout()
    for viewer in (Role.AGENT, Role.PROJECT_LEAD, Role.ADMINISTRATOR):
        response = client_for(viewer).get("/partenaires/cpam/")
        assert "Dominique Secret" in response.content.decode() and "Code porte 1234" in response.content.decode()
        assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
        client.logout()


def test_retired_or_unpublished_partners_are_hidden_from_the_public_only(client, client_for):
    retired = PartnerFactory(name="Ancien partenaire", slug="ancien", retired_at=timezone.now())
    PartnerFactory(name="Brouillon", slug="brouillon", is_published=False)
    assert names(client.get("/partenaires/")) == []
    assert client.get("/partenaires/ancien/").status_code == 404
    assert client.get("/partenaires/brouillon/").status_code == 404
    agent = client_for(Role.AGENT)
    page = agent.get("/partenaires/ancien/").content.decode()
    assert "retiré de l’annuaire" in page
    assert retired.name in page


@pytest.mark.parametrize("size", [3, 30])
def test_public_pages_query_budget(client, django_assert_max_num_queries, maison_saint_dizier, size):
    for number in range(size):
        partner = PartnerFactory(name=f"Partenaire {number}", themes=[theme("sante--acces-aux-soins")])
        service = ServiceFactory(
            partner=partner, themes=[theme("sante--sante-mentale")], area=Area.EPCI, epci_codes=["200068732"]
        )
        service.communes.set([maison_saint_dizier.commune])
        PartnerContactFactory(partner=partner)
        OccupancyFactory(kind=OccupancyKind.PERMANENCE, maison=maison_saint_dizier, partner=partner, is_public=True)
    for url, params in [
        ("/partenaires/", {}),
        ("/partenaires/", {"q": "partenaire", "theme": "sante", "commune": "Saint-Dizier"}),
        ("/partenaires/", {"page": 2}),
        ("/partenaires/partenaire-0/", {}),
    ]:
        partner = Partner.objects.first()
        with django_assert_max_num_queries(8):
            response = client.get(url.replace("partenaire-0", partner.slug), params)
        assert response.status_code == 200


def test_changes_to_a_published_partner_make_public_pages_stale(cpam, django_capture_on_commit_callbacks):
    before = pagecache.generation()
    cpam.description = "Nouveau texte"
    with django_capture_on_commit_callbacks(execute=True):
        partner_save(partner=cpam)
    after_partner = pagecache.generation()
    assert after_partner != before
    with django_capture_on_commit_callbacks(execute=True):
        service_save(service=Service(partner=cpam, name="Nouveau service"))
    after_service = pagecache.generation()
    assert after_service != after_partner
    with django_capture_on_commit_callbacks(execute=True):
        partner_retire(partner=cpam)
    assert pagecache.generation() != after_service


def test_changes_to_an_unpublished_partner_leave_the_cache(django_capture_on_commit_callbacks):
    draft = PartnerFactory(is_published=False)
    before = pagecache.generation()
    draft.description = "Brouillon modifié"
    with django_capture_on_commit_callbacks(execute=True):
        partner_save(partner=draft)
    assert pagecache.generation() == before


def test_partners_created_in_bulk_are_searchable_once_reindexed(client):
    from partenaires.services import partners_reindex_fields

    Partner.objects.bulk_create([Partner(name="Maison de l’emploi", slug="mde", description="Sécurité au travail")])
    assert names(client.get("/partenaires/", {"q": "securite"})) == []
    assert partners_reindex_fields(Partner.objects.all()) == 1
    assert names(client.get("/partenaires/", {"q": "securite"})) == ["Maison de l’emploi"]


def test_the_site_search_and_the_site_map_list_directory_partners(client, cpam):
    from partenaires.services import partner_retire

    partner_save(partner=cpam)
    response = client.get("/recherche/", {"q": "securite sociale"})
    assert "Caisse primaire d’assurance maladie (CPAM)" in response.content.decode()
    assert "/partenaires/cpam/" in client.get("/plan-du-site/").content.decode()
    assert "/partenaires/cpam/" in client.get("/sitemap.xml").content.decode()
    partner_retire(partner=cpam)
    assert "/partenaires/cpam/" not in client.get("/recherche/", {"q": "securite sociale"}).content.decode()
