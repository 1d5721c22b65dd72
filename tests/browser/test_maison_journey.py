"""As the public, from the home page: is the Langres Maison open on Saturday? At most three clicks, or the keyboard
alone (issue 6, « Browser journeys »)."""

import re

import pytest
from playwright.sync_api import expect

from search.tests.wagtail_tree import home_page

from .axe import assert_no_axe_violations

SATURDAY_HOURS = "9 h 00 – 12 h 00"  # demo/data.py: Langres opens on Saturday mornings.


@pytest.fixture
def portal(request):
    """The Wagtail home page (a browser test's flush removes the one the migrations make), then the demo data."""
    home_page()
    return request.getfixturevalue("demo_data")


def _saturday_row(page):
    table = page.get_by_role("table", name=re.compile("Horaires habituels de la Maison du Département de Langres"))
    return table.get_by_role("row", name=re.compile("^Samedi"))


def test_from_home_find_whether_langres_is_open_on_saturday_in_one_click(page, live_server, portal):
    page.goto(live_server.url + "/")
    clicks = 0
    page.get_by_role("link", name=re.compile("Maison du Département de Langres")).first.click()
    clicks += 1
    expect(page.get_by_role("heading", level=1)).to_have_text("Maison du Département de Langres")
    expect(_saturday_row(page)).to_contain_text(SATURDAY_HOURS)
    # The status in words and the week ahead answer the question for the coming days too.
    expect(page.locator(".maison__status .status")).to_have_text(re.compile("(Ouverte — ferme|Fermée — ouvre) "))
    expect(page.get_by_role("heading", name="La semaine à venir")).to_be_visible()
    assert clicks <= 3
    assert_no_axe_violations(page)


def test_the_same_journey_with_the_keyboard_alone(page, live_server, portal):
    page.goto(live_server.url + "/")
    for _ in range(80):  # Tab through the page until the Langres link has the focus.
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => document.activeElement && document.activeElement.tagName === 'A'"
            " ? document.activeElement.textContent : ''"
        )
        if "Maison du Département de Langres" in focused:
            break
    else:
        raise AssertionError("Le lien vers la Maison de Langres n’est pas atteignable au clavier.")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile("/maisons/langres/$"))
    expect(_saturday_row(page)).to_contain_text(SATURDAY_HOURS)


def test_a_maison_closed_on_saturday_says_so(page, live_server, maison_langres):
    # The factories' Maison opens Monday to Friday only.
    page.goto(live_server.url + "/maisons/langres/")
    expect(_saturday_row(page)).to_contain_text("Fermé")
