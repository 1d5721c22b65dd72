"""/plan-du-site/, /sitemap.xml and /robots.txt: generated from the Wagtail page tree and core.public_pages."""

import html
import xml.etree.ElementTree as ET

import pytest
from django.urls import NoReverseMatch
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction, Site

from core import public_pages
from maisons.tests.factories import MaisonFactory

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _home() -> Page:
    return Site.objects.get(is_default_site=True).root_page  # Made by legal/tests/conftest.py if flushed.


def _add(parent: Page, title: str, slug: str, *, live: bool = True) -> Page:
    page = parent.add_child(instance=Page(title=title, slug=slug, live=live))
    if live:
        page.save_revision().publish()
    return Page.objects.get(pk=page.pk)  # Fresh from the tree (treebeard keeps counts in the parent row).


@pytest.fixture
def tree():
    home = _home()
    missions = _add(home, "Les missions du Département", "missions")
    roads = _add(missions, "Routes et déneigement", "routes")
    colleges = _add(missions, "Collèges", "colleges")
    _add(home, "Brouillon jamais publié", "brouillon", live=False)
    private = _add(home, "Espace réservé", "reserve")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    return {"home": home, "missions": missions, "roads": roads, "colleges": colleges}


def _site_map(client) -> str:
    response = client.get("/plan-du-site/")
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_every_registered_section_resolves():
    for section in public_pages.sections():
        if section.url_name:
            try:
                section.url  # noqa: B018 (reverse() raises on a typo).
            except NoReverseMatch:  # pragma: no cover - the failure message is the point.
                pytest.fail(f"{section.key}: le nom d’URL {section.url_name!r} n’existe pas")


def test_the_site_map_nests_live_public_pages_in_menu_order(client, tree, maison_langres, maison_saint_dizier):
    page = _site_map(client)
    main = page.split("<h2>Informations et services</h2>")[1].split("<h2>Informations légales</h2>")[0]
    missions = main.index('<a href="/missions/">Les missions du Département</a>')
    roads = main.index('<a href="/missions/routes/">Routes et déneigement</a>')
    colleges = main.index('<a href="/missions/colleges/">Collèges</a>')
    assert missions < roads < colleges  # Tree order: the order editors give the pages in /cms/.
    # The missions' children are a list inside the missions' item.
    assert "<ul" in main[missions:roads] and "</li>" not in main[missions:roads]
    assert "Brouillon jamais publié" not in page and "Espace réservé" not in page
    assert f'<a href="{maison_langres.get_absolute_url()}">{maison_langres.name}</a>' in main
    assert f'<a href="{maison_saint_dizier.get_absolute_url()}">{maison_saint_dizier.name}</a>' in main
    assert '<a href="/recherche/">Recherche</a>' in main
    legal = page.split("<h2>Informations légales</h2>")[1]
    for url, title in [
        ("/accessibilite/", "Accessibilité"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/plan-du-site/", "Plan du site"),
    ]:
        assert f'<a href="{url}">{title}</a>' in legal


def test_the_site_map_follows_the_tree(client, tree):
    Page.objects.get(pk=tree["colleges"].pk).move(Page.objects.get(pk=tree["missions"].pk), pos="first-child")
    main = _site_map(client)
    assert main.index("Collèges") < main.index("Routes et déneigement")
    Page.objects.get(pk=tree["roads"].pk).unpublish()
    assert "Routes et déneigement" not in _site_map(client)


def test_a_page_type_can_keep_its_children_out_of_the_site_map(client, tree, monkeypatch):
    monkeypatch.setattr(Page, "show_children_in_site_map", False, raising=False)
    page = _site_map(client)
    assert "Les missions du Département" in page and "Routes et déneigement" not in page


def test_an_unpublished_maison_is_not_listed(client, maison_langres):
    MaisonFactory(name="Maison en préparation", is_published=False)
    assert "Maison en préparation" not in _site_map(client)


@pytest.mark.parametrize("size", [2, 25])
def test_the_site_map_costs_the_same_queries_whatever_the_number_of_pages(client, size, django_assert_max_num_queries):
    home = _home()
    for index in range(size):
        section = _add(home, f"Rubrique {index}", f"rubrique-{index}")
        _add(section, f"Page {index}", f"page-{index}")
        MaisonFactory(name=f"Maison {index}")
    with django_assert_max_num_queries(8):
        page = _site_map(client)
    assert f"Page {size - 1}" in page and f"Maison {size - 1}" in page


def _sitemap(client) -> dict[str, str | None]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Cache-Control"] == "public, max-age=3600"
    root = ET.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext("sm:lastmod", namespaces=SITEMAP_NS)
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def test_sitemap_xml_lists_pages_maisons_and_django_pages_with_absolute_urls(client, settings, tree, maison_langres):
    settings.SITE_URL = "https://maisons.haute-marne.fr"
    urls = _sitemap(client)
    assert "https://maisons.haute-marne.fr/" in urls
    # The sitemap writes the day in Paris time (between 23:00 and midnight UTC, it is already the next day there).
    roads_published = timezone.localdate(tree["roads"].last_published_at).isoformat()
    assert urls["https://maisons.haute-marne.fr/missions/routes/"] == roads_published
    assert urls[f"https://maisons.haute-marne.fr{maison_langres.get_absolute_url()}"] is not None
    for path in ("/accessibilite/", "/mentions-legales/", "/donnees-personnelles/", "/plan-du-site/"):
        assert f"https://maisons.haute-marne.fr{path}" in urls
    assert not any("brouillon" in url or "reserve" in url or "recherche" in url for url in urls)
    assert all(url.startswith("https://maisons.haute-marne.fr/") for url in urls)  # Never the request's host.
    assert len(urls) == len(set(urls))


@pytest.mark.parametrize("size", [2, 25])
def test_sitemap_xml_costs_the_same_queries_whatever_the_number_of_pages(client, size, django_assert_max_num_queries):
    for index in range(size):
        _add(_home(), f"Rubrique {index}", f"rubrique-{index}")
        MaisonFactory(name=f"Maison {index}")
    with django_assert_max_num_queries(8):
        urls = _sitemap(client)
    assert len(urls) >= 2 * size


def test_robots_txt_keeps_crawlers_out_of_staff_areas_and_names_the_sitemap(client, settings):
    settings.SITE_URL = "https://maisons.haute-marne.fr"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    for path in ("/cms/", "/admin/", "/comptes/", "/accueil/", "/reservations/", "/gestion/"):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /" not in lines  # The public pages stay open to search engines.
    assert "Sitemap: https://maisons.haute-marne.fr/sitemap.xml" in lines
    assert response["Cache-Control"] == "public, max-age=86400"
