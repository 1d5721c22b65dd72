"""/api/: public, read-only, paginated, filterable, cacheable, CORS open for reading, bounded queries, French errors,
and never a contact or a note."""

import pytest
from django.utils import timezone

from maisons.models import Commune
from partenaires.enums import Area
from partenaires.tests.factories import PartnerContactFactory, PartnerFactory, ServiceFactory, theme


@pytest.fixture
def anonymous(client):
    return client


def test_documentation_page_lists_the_endpoints_without_cdn(anonymous):
    response = anonymous.get("/api/")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/maisons", "/api/partenaires", "/api/services", "/api/evenements", "/api/openapi.json"):
        assert path in text
    assert "cdn" not in text.lower()
    assert not response.cookies


def test_openapi_schema(anonymous):
    response = anonymous.get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert {"/api/maisons", "/api/partenaires", "/api/services", "/api/evenements"} <= set(paths)
    assert all(set(methods) == {"get"} for methods in paths.values())


def test_maisons_with_opening_hours(anonymous, maison_langres, maison_saint_dizier):
    response = anonymous.get("/api/maisons")
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2
    langres = next(item for item in data["resultats"] if item["slug"] == maison_langres.slug)
    assert langres["horaires"][0]["jour"] == "lundi"
    assert langres["horaires"][0]["ouverture"].count(":") == 1
    assert anonymous.get(f"/api/maisons/{maison_langres.slug}").json()["nom"] == maison_langres.name
    missing = anonymous.get("/api/maisons/atlantide")
    assert missing.status_code == 404
    assert missing.json()["message"] == "Aucune Maison publiée à cette adresse."


def test_partners_never_show_contacts_notes_or_unpublished(anonymous, maison_saint_dizier):
    partner = PartnerFactory(name="Caisse d’allocations familiales", slug="caf", commune=maison_saint_dizier.commune)
    ServiceFactory(partner=partner, name="Aide au dossier")
    ServiceFactory(partner=partner, name="Service en préparation", is_published=False)
    PartnerContactFactory(partner=partner, name="Camille Secrète", notes="Note interne pour l’accueil")
    PartnerFactory(name="Partenaire caché", is_published=False)
    PartnerFactory(name="Partenaire retiré", retired_at=timezone.now())
    for path in ("/api/partenaires", "/api/partenaires/caf", "/api/services"):
        text = anonymous.get(path).content.decode()
        for secret in ("Camille", "Note interne", "préparation", "caché", "retiré"):
            assert secret not in text, (path, secret)
    data = anonymous.get("/api/partenaires").json()
    assert [item["slug"] for item in data["resultats"]] == ["caf"]
    assert [service["nom"] for service in data["resultats"][0]["services"]] == ["Aide au dossier"]
    assert anonymous.get("/api/partenaires/partenaire-cache").status_code == 404


def test_partner_filters(anonymous, maison_langres, maison_saint_dizier):
    PartnerFactory(name="Logement pour tous", themes=[theme("logement-hebergement--louer-un-logement")])
    PartnerFactory(name="Famille plus", themes=[theme("famille")], commune=maison_langres.commune)
    by_theme = anonymous.get("/api/partenaires", {"thematique": "logement-hebergement"}).json()
    assert [item["nom"] for item in by_theme["resultats"]] == ["Logement pour tous"]
    by_words = anonymous.get("/api/partenaires", {"q": "famille"}).json()
    assert [item["nom"] for item in by_words["resultats"]] == ["Famille plus"]
    by_commune = anonymous.get("/api/partenaires", {"commune": maison_langres.commune.code_insee}).json()
    assert "Famille plus" in [item["nom"] for item in by_commune["resultats"]]


def test_service_filters(anonymous, maison_langres, maison_saint_dizier):
    partner = PartnerFactory(slug="aide")
    langres_only = ServiceFactory(partner=partner, name="À Langres seulement", area=Area.COMMUNES)
    langres_only.communes.set([maison_langres.commune])
    ServiceFactory(partner=partner, name="Partout", area=Area.DEPARTEMENT)
    ServiceFactory(partner=PartnerFactory(), name="Ailleurs", themes=[theme("famille--garde-denfants")])
    in_saint_dizier = anonymous.get("/api/services", {"commune": maison_saint_dizier.commune.code_insee}).json()
    assert "À Langres seulement" not in [item["nom"] for item in in_saint_dizier["resultats"]]
    assert "Partout" in [item["nom"] for item in in_saint_dizier["resultats"]]
    by_partner = anonymous.get("/api/services", {"partenaire": "aide"}).json()
    assert by_partner["total"] == 2
    by_theme = anonymous.get("/api/services", {"thematique": "famille"}).json()
    assert [item["nom"] for item in by_theme["resultats"]] == ["Ailleurs"]


def test_pagination(anonymous):
    for index in range(7):
        PartnerFactory(name=f"Partenaire {index:02}")
    data = anonymous.get("/api/partenaires", {"par_page": 3, "page": 3}).json()
    assert (data["total"], data["pages"], data["page"]) == (7, 3, 3)
    assert [item["nom"] for item in data["resultats"]] == ["Partenaire 06"]
    assert anonymous.get("/api/partenaires", {"page": 99}).json()["resultats"] == []


@pytest.mark.parametrize(
    ("path", "params", "parameter", "words"),
    [
        ("/api/partenaires", {"page": "deux"}, "page", "nombre entier"),
        ("/api/partenaires", {"page": "0"}, "page", "supérieur ou égal à 1"),
        ("/api/partenaires", {"par_page": "5000"}, "par_page", "inférieur ou égal à 200"),
        ("/api/partenaires", {"commune": "Atlantide"}, "commune", "Commune inconnue"),
        ("/api/partenaires", {"thematique": "n-importe-quoi"}, "thematique", "Sélectionnez un choix valide"),
        ("/api/services", {"commune": "99999"}, "commune", "Code INSEE inconnu"),
        ("/api/evenements", {"debut": "demain"}, "debut", "date au format AAAA-MM-JJ"),
        ("/api/evenements", {"debut": "2030-01-10", "fin": "2030-01-01"}, "fin", "précède son début"),
        # Found by schemathesis: PostgreSQL refuses NUL in a text, which was a 500.
        ("/api/services", {"thematique": "[\x00-\x08]"}, "thematique", "caractère nul"),
        ("/api/services", {"partenaire": "caf\x00"}, "partenaire", "caractère nul"),
    ],
)
def test_bad_parameters_get_a_french_message(anonymous, path, params, parameter, words):
    response = anonymous.get(path, params)
    assert response.status_code == 422
    body = response.json()
    assert body["message"].startswith("Paramètre invalide")
    assert words in body["message"]
    assert [error["parametre"] for error in body["erreurs"]] == [parameter]


def test_cacheable_with_etag_and_cors_for_reading(anonymous):
    PartnerFactory()
    response = anonymous.get("/api/partenaires", HTTP_ORIGIN="https://exemple.org")
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    again = anonymous.get("/api/partenaires", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    preflight = anonymous.options(
        "/api/partenaires", HTTP_ORIGIN="https://exemple.org", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST"
    )
    assert "POST" not in preflight.get("Access-Control-Allow-Methods", "")
    page = anonymous.get("/partenaires/", HTTP_ORIGIN="https://exemple.org")
    assert "Access-Control-Allow-Origin" not in page  # CORS on /api/ only.


def test_writing_is_refused(anonymous):
    for method in ("post", "put", "patch", "delete"):
        assert getattr(anonymous, method)("/api/partenaires").status_code == 405


def test_lists_run_a_bounded_number_of_queries(anonymous, django_assert_max_num_queries, maison_langres):
    def build(count):
        for _ in range(count):
            partner = PartnerFactory(themes=[theme("famille")], commune=maison_langres.commune)
            service = ServiceFactory(partner=partner, themes=[theme("famille--garde-denfants")], area=Area.COMMUNES)
            service.communes.set(Commune.objects.filter(code_insee=maison_langres.commune.code_insee))

    budgets = {
        "/api/partenaires": 7,
        "/api/services": 5,
        "/api/maisons": 4,
        "/api/data-inclusion/services.json": 5,
        "/api/data-inclusion/structures.csv": 2,
    }
    for size in (2, 25):
        build(size)
        for path, budget in budgets.items():
            with django_assert_max_num_queries(budget):
                assert anonymous.get(path).status_code == 200


def test_data_inclusion_exports_at_stable_urls(anonymous, maison_saint_dizier):
    PartnerFactory(name="Maison de l’emploi", slug="emploi")
    ServiceFactory(partner=PartnerFactory(), description="Une description assez longue.")
    structures = anonymous.get("/api/data-inclusion/structures.json")
    assert structures.status_code == 200
    assert {item["nom"] for item in structures.json()} >= {"Maison de l’emploi"}
    services = anonymous.get("/api/data-inclusion/services.json").json()
    assert services[0]["source"] == "maisons-departement-52"
    csv_response = anonymous.get("/api/data-inclusion/services.csv")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert csv_response.content.decode().startswith("source,structure_id,id,nom,")
