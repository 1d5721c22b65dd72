"""The public agenda: what it shows, its filters, its month table, an occurrence's page and its JSON-LD, the
Maison page section, the site search, and the page cache (no cookie for an anonymous reader)."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from events.enums import CategoryKind, EventStatus
from events.tests.agenda_support import booking, category, internal_meeting, paris, public_event, weekly_permanence


@pytest.fixture
def upcoming(maison_langres, maison_saint_dizier, user_with_role):
    from accounts.enums import Role

    start = (timezone.localtime() + datetime.timedelta(days=2)).replace(hour=14, minute=0, second=0, microsecond=0)
    return {
        "workshop": public_event(maison_langres, start, title="Atelier CV"),
        "cancelled": public_event(
            maison_langres,
            start + datetime.timedelta(days=1),
            title="Conférence santé",
            status=EventStatus.CANCELLED,
            reason="Intervenant malade",
        ),
        "exhibition": public_event(maison_saint_dizier, start, title="Exposition photo", kind=CategoryKind.EXHIBITION),
        "draft": public_event(maison_langres, start, title="Brouillon secret", status=EventStatus.DRAFT),
        "internal": public_event(maison_langres, start, title="Séminaire interne", audience="internal"),
        "meeting": internal_meeting(maison_langres, start),
        "booking": booking(maison_langres, start, user_with_role(Role.ELECTED), purpose="Rendez-vous privé"),
        "past": public_event(maison_langres, start - datetime.timedelta(days=10), title="Atelier passé"),
    }


def test_the_agenda_lists_upcoming_public_occurrences_only(client, upcoming):
    html = client.get("/agenda/").content.decode()
    for title in ("Atelier CV", "Conférence santé", "Exposition photo"):
        assert title in html
    for hidden in ("Brouillon secret", "Séminaire interne", "Réunion d’équipe", "Rendez-vous privé", "Atelier passé"):
        assert hidden not in html
    assert "Annulé" in html


def test_filters_by_maison_category_and_dates(client, upcoming):
    html = client.get("/agenda/?maison=saint-dizier").content.decode()
    assert "Exposition photo" in html and "Atelier CV" not in html
    html = client.get(f"/agenda/?categorie={category(CategoryKind.EXHIBITION).slug}").content.decode()
    assert "Exposition photo" in html and "Atelier CV" not in html
    day = timezone.localdate(upcoming["cancelled"].period.lower)
    html = client.get(f"/agenda/?du={day:%Y-%m-%d}&au={day:%Y-%m-%d}").content.decode()
    assert "Conférence santé" in html and "Atelier CV" not in html


def test_wrong_filters_say_so_in_french(client, upcoming):
    html = client.get("/agenda/?du=2027-03-10&au=2027-03-01").content.decode()
    assert "La date de fin doit suivre la date de début." in html
    html = client.get("/agenda/?du=pas-une-date&maison=inconnue").content.decode()
    assert "Saisissez une date valide" in html
    assert "Sélectionnez un choix valide" in html
    assert "Atelier CV" not in html


def test_the_month_table(client, maison_langres):
    weekly_permanence(maison_langres, paris(2027, 3, 1, 10), weeks=6, title="Permanence CAF")
    html = client.get("/agenda/?vue=mois&mois=2027-03").content.decode()
    assert "<caption>" in html and "Mars 2027 : 5 rendez-vous" in html
    assert html.count("10 h 00 : Permanence CAF") == 5
    assert 'scope="col">Lundi' in html
    assert "mois=2027-04" in html and "mois=2027-02" in html
    april = client.get("/agenda/?vue=mois&mois=2027-04").content.decode()
    assert april.count("Permanence CAF") == 1  # The sixth, on 5 April, at 10:00 summer time.
    assert "10 h 00 : Permanence CAF" in april
    assert client.get("/agenda/?vue=mois&mois=n-importe").status_code == 200


def test_an_occurrence_page_with_its_json_ld(client, upcoming):
    workshop = upcoming["workshop"]
    response = client.get(f"/agenda/{workshop.slug}/")
    html = response.content.decode()
    assert "Atelier CV" in html and "Ajouter à mon agenda" in html
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Event"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert data["location"]["address"]["addressLocality"] == "Langres"


def test_a_cancelled_occurrence_stays_visible_with_its_reason(client, upcoming):
    html = client.get(f"/agenda/{upcoming['cancelled'].slug}/").content.decode()
    assert "Cet événement est annulé." in html and "Intervenant malade" in html
    assert "EventCancelled" in html


def test_hidden_occurrences_have_no_page(client, upcoming):
    for key in ("draft", "internal"):
        assert client.get(f"/agenda/{upcoming[key].slug}/").status_code == 404


@pytest.mark.parametrize("count", [4, 60])
def test_the_agenda_runs_the_same_queries_whatever_the_number(
    client, maison_langres, count, django_assert_max_num_queries
):
    weekly_permanence(maison_langres, timezone.now() + datetime.timedelta(days=1), weeks=count)
    with django_assert_max_num_queries(8):  # The public pages' budget (partenaires/views.py).
        assert client.get("/agenda/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/agenda/?vue=mois").status_code == 200
    slug = maison_langres.occupancies.first().slug
    with django_assert_max_num_queries(8):
        assert client.get(f"/agenda/{slug}/").status_code == 200


def test_the_maison_page_shows_its_next_events(client, upcoming):
    html = client.get("/maisons/langres/").content.decode()
    assert "Prochains événements" in html and "Atelier CV" in html and "Exposition photo" not in html
    assert "/maisons/langres/agenda.ics" in html


def test_the_agenda_is_in_the_site_map(client):
    assert "/agenda/" in client.get("/plan-du-site/").content.decode()


def test_anonymous_pages_set_no_cookie_and_are_cached(client, maison_langres, settings, redis_cache):
    settings.PAGE_CACHE_ENABLED = True
    occurrence = public_event(maison_langres, timezone.now() + datetime.timedelta(days=3), registration=True)
    for url in ("/agenda/", "/agenda/?vue=mois", f"/agenda/{occurrence.slug}/", "/agenda.ics"):
        first = client.get(url)
        assert not first.cookies, url
        assert first["X-Page-Cache"] == "miss", url
        assert client.get(url)["X-Page-Cache"] == "hit", url
    form = client.get(f"/agenda/{occurrence.slug}/inscription/")
    assert "csrftoken" in form.cookies  # Only the registration form sets the CSRF cookie.
