"""The site search as the public uses it: the header box on every page, results that lead to the page sought."""

import re

import pytest
from playwright.sync_api import expect

from maisons.tests.factories import MaisonFactory
from pages.models import InformationPage
from search.tests.wagtail_tree import home_page

from .axe import assert_no_axe_violations


@pytest.fixture
def colleges(maison_langres):
    home = home_page()
    page = InformationPage(
        title="Les collèges",
        slug="colleges",
        search_description="Inscriptions, transport scolaire, restauration et bourses.",
        intro="Le Département construit, équipe et entretient les collèges publics de la Haute-Marne.",
        body=[("paragraph", "<p>La demande de bourse départementale se fait en septembre au collège.</p>")],
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def test_from_the_home_page_college_finds_the_colleges_page(page, live_server, colleges):
    page.goto(live_server.url + "/")
    search_box = page.get_by_role("search", name="Sur le site").get_by_label("Rechercher sur le site")
    search_box.fill("college")
    search_box.press("Enter")
    expect(page).to_have_url(re.compile(r"/recherche/\?q=college$"))
    expect(page.get_by_label("Rechercher sur le site").last).to_have_value("college")
    expect(page.get_by_role("heading", level=2, name=re.compile("Pages d’information"))).to_be_visible()
    page.get_by_role("link", name="Les collèges").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les collèges")


@pytest.mark.parametrize("width", [375, 1280])
def test_results_and_empty_state_are_accessible(page, live_server, colleges, width):
    for n in range(12):
        MaisonFactory(name=f"Maison annexe {n:02d}", slug=f"annexe-{n}", description="Permanence collège.")
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(live_server.url + "/recherche/?q=coll%C3%A8ge")
    expect(page.locator("mark").first).to_be_visible()
    expect(page.get_by_role("navigation", name="Pagination des résultats")).to_be_visible()
    assert_no_axe_violations(page)
    # Nothing wider than the screen on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.get_by_role("link", name="Page suivante").click()
    expect(page).to_have_url(re.compile(r"q=coll%C3%A8ge&page=2"))
    page.goto(live_server.url + "/recherche/?q=%22%28%3A*%3C-%3E")
    expect(page.get_by_text("Quelques conseils")).to_be_visible()
    assert_no_axe_violations(page)


def test_header_search_by_keyboard_only(page, live_server, maison_langres):
    page.goto(live_server.url + "/maisons/langres/")
    page.keyboard.press("Tab")  # the skip link
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "header-search-q":
            break
    assert page.evaluate("document.activeElement.id") == "header-search-q"
    page.keyboard.type("Langres")
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Maison du Département de Langres")).to_be_visible()
