import datetime

import pytest
from django.utils import timezone

from maisons.tests.factories import ExceptionalClosureFactory, MaisonFactory, RoomFactory


def test_home_lists_published_maisons_with_address_and_status(client, maison_langres, maison_saint_dizier):
    MaisonFactory(name="Maison brouillon", is_published=False)
    html = client.get("/").content.decode()
    assert "Maison du Département de Langres" in html
    assert "Maison du Département de Saint-Dizier" in html
    assert "52200 Langres" in html
    assert "Maison brouillon" not in html
    assert html.count("en ce moment") == 2


def test_home_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(12):
        maison = MaisonFactory(with_weekday_hours=True)
        ExceptionalClosureFactory(maison=maison, start_date=timezone.localdate() + datetime.timedelta(days=3))
    with django_assert_max_num_queries(5):  # Maisons+communes, hours, closures, and the request savepoint.
        response = client.get("/")
    assert response.content.decode().count('class="card"') == 12


def test_maison_page_shows_hours_closures_rooms_and_access(client, maison_langres, django_assert_max_num_queries):
    maison_langres.accessibility = "Entrée de plain-pied."
    maison_langres.save()
    ExceptionalClosureFactory(maison=maison_langres, reason="Inventaire", start_date=timezone.localdate())
    RoomFactory(maison=maison_langres, name="Salle Diderot", capacity=40)
    RoomFactory(maison=maison_langres, name="Salle fermée", is_active=False)
    with django_assert_max_num_queries(6):
        html = client.get("/maisons/langres/").content.decode()
    assert "Horaires d’ouverture" in html
    assert "8h30 – 12h00, 13h30 – 17h00" in html
    assert "Inventaire" in html
    assert "Fermée en ce moment" in html  # Closed today whatever the hour.
    assert "Salle Diderot : 40 personnes" in html
    assert "Salle fermée" not in html
    assert "Entrée de plain-pied." in html


@pytest.mark.parametrize("url", ["/maisons/inconnue/", "/page-inexistante/"])
def test_unknown_pages_answer_404_in_french(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_anonymous_public_pages_set_no_cookie(client, maison_langres):
    # Private by default: no cookie for anonymous readers, so no cookie banner is needed.
    for url in ["/", "/maisons/langres/", "/plan-du-site/", "/accessibilite/"]:
        response = client.get(url)
        assert response.cookies == {}, url
