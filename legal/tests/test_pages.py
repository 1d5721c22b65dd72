"""The accessibility statement and the legal notice: their content, their Wagtail settings, the footer's status."""

import datetime
import html
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import pagecache
from legal.models import AccessibilityStatement, ConformityStatus, LegalNotice

PUBLIC_PAGES = ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/", "/plan-du-site/"]


def _text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _save(setting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        setting.save()


def _footer(page: str) -> str:
    return page.split('<footer class="site-footer">')[1]


def test_the_default_statement_is_the_rgaa_model_and_honest(client):
    page = _text(client, "/accessibilite/")
    assert "<h1>Déclaration d’accessibilité</h1>" in page
    assert "<strong>non conforme</strong>" in page
    assert "RGAA), version 4.1" in page
    # No full audit recorded: no rate is claimed.
    assert "le taux de conformité n’est pas mesuré" in page
    for heading in (
        "État de conformité",
        "Contenus non accessibles",
        "Non-conformités",
        "Dérogations pour charge disproportionnée",
        "Contenus non soumis à l’obligation d’accessibilité",
        "Établissement de cette déclaration d’accessibilité",
        "Retour d’information et contact",
        "Voies de recours",
    ):
        assert f">{heading}</h" in page, heading
    assert "axe-core" in page and "Chromium" in page and "clavier" in page
    assert "Aucune dérogation pour charge disproportionnée n’est invoquée." in page
    assert "établie le 30 novembre 2026" in page
    assert "Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07" in page
    assert 'href="https://formulaire.defenseurdesdroits.fr/"' in page
    assert "09 69 39 00 00" in page
    assert "Hôtel du Département, 1 rue du Commandant Hugueny" in page
    assert AccessibilityStatement.objects.count() == 0  # Reading the page never creates the row.


def test_a_saved_statement_is_shown_on_the_page_and_in_every_footer(client, django_capture_on_commit_callbacks):
    assert "Accessibilité : non conforme" in _footer(_text(client, "/plan-du-site/"))
    statement = AccessibilityStatement(
        status=ConformityStatus.PARTIAL,
        compliance_rate=Decimal("87.5"),
        audit_date=datetime.date(2027, 3, 15),
        audit_by="le cabinet Audit Accessible (fictif)",
        derogations="Le plan interactif des salles, remplacé par une liste des salles.",
        contact_email="accessibilite@example.fr",
        contact_form_url="https://example.fr/contact",
    )
    _save(statement, django_capture_on_commit_callbacks)
    page = _text(client, "/accessibilite/")
    assert "révèle que <strong>87,5 %</strong> des critères du RGAA version 4.1 sont respectés" in page
    assert "Dernière vérification le 15 mars 2027, par le cabinet Audit Accessible (fictif)." in page
    assert "<li>Le plan interactif des salles, remplacé par une liste des salles.</li>" in page
    assert "Aucune dérogation" not in page
    assert 'href="mailto:accessibilite@example.fr"' in page
    assert 'href="https://example.fr/contact"' in page
    assert "Elle a été mise à jour le" in page

    statement.status = ConformityStatus.FULL
    _save(statement, django_capture_on_commit_callbacks)
    for url in PUBLIC_PAGES:
        assert "Accessibilité : totalement conforme" in _footer(_text(client, url)), url
    assert "en raison des non-conformités" not in _text(client, "/accessibilite/")


def test_saving_a_setting_makes_every_cached_page_stale(django_capture_on_commit_callbacks):
    for setting in (AccessibilityStatement(), LegalNotice()):
        before = pagecache.generation()
        _save(setting, django_capture_on_commit_callbacks)
        assert pagecache.generation() != before


def test_the_footer_reads_the_statement_from_the_cache(client):
    client.get("/mentions-legales/")  # Warms the cache.
    with CaptureQueriesContext(connection) as queries:
        client.get("/mentions-legales/")
    # Only the request's transaction (ATOMIC_REQUESTS): the footer's statement and the notice come from the cache.
    assert [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"]] == []


def test_the_legal_notice_names_publisher_director_and_host(client, django_capture_on_commit_callbacks):
    page = _text(client, "/mentions-legales/")
    assert "Conseil départemental de la Haute-Marne" in page
    assert "Le président du Conseil départemental de la Haute-Marne." in page
    for heading in ("Éditeur", "Hébergement", "Propriété intellectuelle", "Liens", "Cookies"):
        assert f"<h2>{heading}</h2>" in page
    assert "La consultation des pages publiques ne dépose aucun cookie" in page
    assert "Portail de démonstration" not in page

    notice = LegalNotice(
        publication_director="Mme Claire Exemple, présidente (nom fictif)",
        host="Hébergeur Exemple SAS (fictif)",
        host_address="1 rue de l’Exemple\n75000 Paris",
        demonstration_notice="Les noms et numéros de téléphone de ce portail sont fictifs.",
    )
    _save(notice, django_capture_on_commit_callbacks)
    page = _text(client, "/mentions-legales/")
    assert "Mme Claire Exemple, présidente (nom fictif)." in page
    assert "Hébergeur Exemple SAS (fictif)" in page and "1 rue de l’Exemple" in page
    assert "Portail de démonstration.</strong> Les noms et numéros de téléphone de ce portail sont fictifs." in page


def test_the_cookie_names_on_the_legal_notice_are_the_real_ones(client, settings):
    page = _text(client, "/mentions-legales/")
    assert f"« {settings.CSRF_COOKIE_NAME} »" in page and f"« {settings.SESSION_COOKIE_NAME} »" in page
    assert f"au plus tard au bout de {settings.SESSION_MAX_AGE // 3600} heures" in page


@pytest.mark.parametrize("url", [*PUBLIC_PAGES, "/sitemap.xml", "/robots.txt"])
def test_an_anonymous_reader_gets_no_cookie(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("url", ["/accessibilite/", "/mentions-legales/", "/donnees-personnelles/"])
def test_the_legal_pages_stay_within_the_query_budget(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200


def test_a_change_of_status_is_in_the_audit_trail(django_capture_on_commit_callbacks):
    from auditlog.models import LogEntry

    statement = AccessibilityStatement()
    _save(statement, django_capture_on_commit_callbacks)
    statement.status = ConformityStatus.PARTIAL
    _save(statement, django_capture_on_commit_callbacks)
    change = LogEntry.objects.get_for_object(statement).filter(action=LogEntry.Action.UPDATE).get()
    assert change.changes_dict["status"] == ["non", "partiel"]
