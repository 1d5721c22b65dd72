"""The public pages' costs and manners: bounded queries uncached, no cookie, read-only, menu and breadcrumb."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from core.pagecache import generation
from maisons.tests.factories import MaisonFactory
from pages.models import MainMenu, MainMenuItem

from .factories import (
    a_category,
    a_document,
    a_news_item,
    an_image,
    an_information_page,
    every_block,
    home_page,
)

BUDGET = 8  # Issue 6: each public page, uncached, at most 8 SQL queries whatever the amount of data.


def _data(size: int) -> dict:
    image, document = an_image(), a_document()
    categories = [a_category(f"Catégorie {n}", f"categorie-{n}") for n in range(size)]
    maisons = [MaisonFactory(with_weekday_hours=True) for _ in range(size)]
    pages = [an_information_page(body=every_block(image, document)) for _ in range(size)]
    home = home_page()
    for order, page in enumerate(pages[:6]):
        home.featured_pages.create(page=page, sort_order=order)
    home.save_revision().publish()
    news = [
        a_news_item(image=an_image(f"Photo {n}"), category=categories[n % size], maison=maisons[n % size], days_ago=n)
        for n in range(size * 3)
    ]
    return {"page": pages[-1].url, "news": news[-1].url}


@pytest.mark.parametrize("size", [1, 8])
def test_public_pages_run_a_bounded_number_of_queries(client, django_assert_max_num_queries, size):
    urls = _data(size)
    for url in ["/", urls["page"], "/actualites/", "/actualites/?categorie=categorie-0&page=1", urls["news"]]:
        # Once first: the renditions are made, and the values every page reads (site, menu, children's types,
        # filters) are cached as after the first request of any reader; the full-page cache stays off.
        assert client.get(url).status_code == 200
        with django_assert_max_num_queries(BUDGET, info=url):
            response = client.get(url)
        assert response.status_code == 200


def test_anonymous_readers_get_no_cookie(client):
    urls = _data(1)
    for url in ["/", urls["page"], "/actualites/", urls["news"], "/actualites/rss/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, f"{url} : {list(response.cookies)}"


def test_pages_only_read(client):
    page = an_information_page(slug="routes")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(page.url)
        assert response.status_code == 405
        assert set(response["Allow"].split(", ")) == {"GET", "HEAD"}
    assert client.head(page.url).status_code == 200


def test_the_breadcrumb_shows_the_ancestors(client):
    parent = an_information_page(slug="solidarites", title="Solidarités")
    child = an_information_page(parent, slug="handicap", title="Handicap")
    html = client.get(child.url).content.decode()
    breadcrumb = html[html.index('aria-label="Fil d’Ariane"') : html.index("</nav>", html.index("Fil d’Ariane"))]
    assert breadcrumb.index("Accueil") < breadcrumb.index("Solidarités") < breadcrumb.index("Handicap")
    assert '<a href="/solidarites/handicap/" aria-current="page">Handicap</a>' in breadcrumb


def test_the_menu_adds_the_editors_entries_among_the_fixed_ones(client, django_capture_on_commit_callbacks):
    routes = an_information_page(slug="routes", title="Routes départementales")
    menu = MainMenu.objects.get()
    assert client.get("/").status_code == 200  # The menu, cached without the new entries.
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        MainMenuItem.objects.create(menu=menu, label="Routes", link_page=routes, sort_order=0)
        MainMenuItem.objects.create(menu=menu, label="Agenda", link_url="/agenda/", sort_order=1)
    html = client.get("/").content.decode()
    nav = html[html.index('aria-label="Navigation principale"') : html.index("</nav>")]
    # The fixed entries stay: the home page and the directory first, the site map and the sign-in last.
    assert nav.index(">Accueil<") < nav.index(">Partenaires<") < nav.index(">Routes<") < nav.index(">Agenda<")
    assert nav.index(">Agenda<") < nav.index(">Plan du site<") < nav.index(">Espace professionnel<")
    assert '<a href="/routes/">Routes</a>' in nav
    assert generation() != before  # The cached pages and the cached menu are stale at once.
    html = client.get("/routes/").content.decode()
    assert '<a href="/routes/" aria-current="page">Routes</a>' in html


def test_a_menu_entry_is_a_page_or_a_portal_address():
    from django.core.exceptions import ValidationError

    menu = MainMenu.objects.get()
    for fields in [{}, {"link_url": "https://example.com/"}, {"link_url": "/agenda/", "link_page": home_page()}]:
        with pytest.raises(ValidationError):
            MainMenuItem(menu=menu, label="Entrée", **fields).full_clean()


def test_publishing_unpublishing_moving_and_deleting_a_page_make_the_public_pages_stale(
    django_capture_on_commit_callbacks,
):
    def changes(action) -> bool:
        before = generation()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        return generation() != before

    parent = an_information_page(slug="solidarites")
    page = an_information_page(slug="routes")
    assert changes(lambda: page.save_revision().publish())
    assert changes(lambda: page.unpublish())
    assert changes(lambda: page.move(parent, pos="last-child"))
    assert changes(lambda: page.delete())
    assert changes(lambda: a_category("Nouvelle", "nouvelle"))


def test_documents_are_served_with_safe_headers(client):
    pdf = a_document(name="guide.pdf", content=b"%PDF-1.4\n%%EOF\n")
    response = client.get(pdf.url)
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    sheet = Document(title="Tableau")
    sheet.file.save("tableau.csv", ContentFile(b"=HYPERLINK(1)\n"), save=False)
    sheet.save()
    response = client.get(sheet.url)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_images_are_only_renditions(client):
    page = an_information_page(body=every_block(an_image(), a_document()))
    html = client.get(page.url).content.decode()
    assert "original_images" not in html
    assert "format-webp" in html and "format-jpeg" in html
