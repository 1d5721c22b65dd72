"""The Content-Security-Policy holds in a real Chromium: the administration works without inline code.

Every browser test already fails on a CSP violation (the `page` fixture of conftest.py, see csp.py); the pages
of tests/test_pages.py are covered that way. Here: the administration's pages with their scripts (filters,
selectors, calendars, inlines), checked to have really run, and the check itself shown able to fail.
"""

from playwright.sync_api import expect

from accounts.enums import Role
from accounts.tests.factories import UserFactory
from maisons.tests.factories import RoomFactory


def test_the_watcher_catches_an_inline_script(page, live_server):
    """The control: a page with an inline script under the portal's policy is reported."""
    # A page of the live server's origin, answered by the browser's network layer.
    page.route(
        f"{live_server.url}/essai-csp/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html",
            headers={"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'"},
            body='<!DOCTYPE html><html lang="fr"><title>x</title><p style="color: red">x</p>'
            "<script>document.title = 'exécuté'</script></html>",
        ),
    )
    page.goto(f"{live_server.url}/essai-csp/")
    expect(page).to_have_title("x")  # The inline script did not run…
    page.evaluate("1")  # (let the console messages arrive)
    violations = list(page.csp_watcher.violations)
    page.csp_watcher.violations.clear()
    assert any("script-src" in violation for violation in violations), violations  # …and it is reported,
    assert any("style-src" in violation for violation in violations), violations  # as is the inline style.


def test_administration_pages_run_their_scripts_without_violation(page_as, live_server, maison_langres):
    page = page_as(Role.ADMINISTRATOR)
    agent = UserFactory(agent=True, maisons=[maison_langres])
    RoomFactory(maison=maison_langres, name="Salle Diderot")
    base = live_server.url + "/admin/"

    page.goto(base)
    expect(page.get_by_role("heading", level=1)).to_have_text("Administration")

    page.goto(base + "accounts/user/")  # Filters, actions.
    expect(page.locator("#changelist-filter")).to_be_visible()
    page.locator("#action-toggle").check()  # actions.js ticks every row.
    expect(page.locator(".action-counter")).to_contain_text("sélectionné")

    page.goto(f"{base}accounts/user/{agent.pk}/change/")  # The two-box selector (SelectFilter2.js).
    expect(page.locator("#id_maisons_to")).to_be_attached()

    page.goto(base + "maisons/maison/add/")  # Inlines, prepopulated slug, autocomplete (select2).
    page.locator("#id_name").press_sequentially("Maison de Chaumont")
    expect(page.locator("#id_slug")).to_have_value("maison-de-chaumont")
    expect(page.locator(".select2-container").first).to_be_visible()
    page.locator(".add-row a").first.click()  # A row of opening hours, with its clock shortcuts.
    expect(page.locator(".datetimeshortcuts").first).to_be_visible()
    page.locator(".datetimeshortcuts a").first.click()  # « Maintenant »

    page.goto(f"{base}maisons/maison/{maison_langres.pk}/delete/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.evaluate("1")
