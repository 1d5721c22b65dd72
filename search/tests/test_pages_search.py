"""The Wagtail pages in the site search: live public pages only, kept up to date by Wagtail's signals."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import PageViewRestriction

from maisons.tests.factories import MaisonFactory
from pages.models import InformationPage, NewsIndexPage, NewsPage
from search.models import SearchEntry

from .wagtail_tree import home_page

URL = reverse("search:search")


def _titles(client, q: str) -> list[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    titles = re.findall(r'<h3 class="search-result__title"><a [^>]+>(.*?)</a>', response.text)
    return [re.sub(r"<[^>]+>", "", title) for title in titles]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


@pytest.fixture
def home():
    return home_page()


@pytest.fixture
def colleges(home):
    return _publish(
        home,
        InformationPage(
            title="Les collèges",
            slug="colleges",
            search_description="Inscriptions, transport et restauration scolaires.",
            intro="Le Département construit et entretient les 22 collèges publics de la Haute-Marne.",
            body=[("paragraph", "<p>Les demandes de bourse départementale se font au mois de septembre.</p>")],
        ),
    )


def test_information_page_found_by_college(client, colleges):
    response = client.get(URL, {"q": "college"})
    assert re.search(r"<h2 [^>]*>Pages d’information <span [^>]*>\(1 résultat\)</span></h2>", response.text)
    assert f'<a href="{colleges.url}">Les <mark>collèges</mark></a>' in response.text
    assert _titles(client, "bourses départementales") == ["Les collèges"]  # the StreamField's text
    assert _titles(client, "restauration") == ["Les collèges"]  # the search description


def test_news_page_in_its_own_group_with_its_date_and_maison(client, home):
    index_page = _publish(home, NewsIndexPage(title="Actualités", slug="actualites"))
    maison = MaisonFactory(name="Maison du Département de Langres", slug="langres")
    _publish(
        index_page,
        NewsPage(
            title="Fermeture des routes enneigées",
            slug="routes-enneigees",
            intro="Plusieurs routes du plateau de Langres sont fermées.",
            date="2026-01-12",
            maison=maison,
        ),
    )
    response = client.get(URL, {"q": "route"})
    assert re.search(r"<h2 [^>]*>Actualités <span [^>]*>\(1 résultat\)</span></h2>", response.text)
    assert '<time datetime="2026-01-12">12 janvier 2026</time>' in response.text
    assert "Maison du Département de Langres" in response.text


def test_entry_follows_publishing(client, colleges):
    colleges.title = "Les collèges et leurs internats"
    colleges.save_revision()  # A draft changes nothing for the public.
    assert _titles(client, "internats") == []
    colleges.get_latest_revision().publish()
    assert _titles(client, "internats") == ["Les collèges et leurs internats"]

    colleges.unpublish()
    assert _titles(client, "college") == []
    colleges.save_revision().publish()
    assert _titles(client, "college") == ["Les collèges et leurs internats"]

    PageViewRestriction.objects.create(page=colleges, restriction_type=PageViewRestriction.PASSWORD, password="x")
    assert _titles(client, "college") == []
    PageViewRestriction.objects.filter(page=colleges).delete()
    assert _titles(client, "college") == ["Les collèges et leurs internats"]

    colleges.delete()
    assert _titles(client, "college") == []


def test_an_alias_is_not_a_second_result(client, home, colleges):
    education = _publish(home, InformationPage(title="Éducation", slug="education", intro="Éducation.", body=[]))
    colleges.create_alias(parent=education, update_slug="colleges")
    assert _titles(client, "college") == ["Les collèges"]
    call_command("search_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _titles(client, "college") == ["Les collèges"]


def test_moving_a_page_moves_its_address(client, home, colleges):
    education = _publish(home, InformationPage(title="Éducation", slug="education", intro="Éducation.", body=[]))
    colleges.move(education, pos="last-child")
    assert SearchEntry.objects.get(title="Les collèges").url == "/education/colleges/"


def test_a_new_slug_moves_the_descendants_addresses(home, colleges):
    _publish(colleges, InformationPage(title="Bourses", slug="bourses", intro="Bourses.", body=[]))
    colleges.slug = "les-colleges"
    colleges.save_revision().publish()
    assert SearchEntry.objects.get(title="Bourses").url == "/les-colleges/bourses/"


def test_rebuild_indexes_live_public_pages_only(home, colleges):
    draft = InformationPage(title="Brouillon", slug="brouillon", intro="Brouillon.", body=[], live=False)
    home.add_child(instance=draft)
    SearchEntry.objects.all().delete()
    call_command("search_rebuild", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert set(SearchEntry.objects.values_list("title", flat=True)) == {"Accueil", "Les collèges"}
