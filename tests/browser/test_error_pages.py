"""The 500 page, as Django renders it with an empty context, is accessible and styled at both widths."""

from django.test import RequestFactory
from django.views.defaults import server_error
from playwright.sync_api import expect

from .axe import assert_no_axe_violations


def test_server_error_page_is_accessible_at_two_widths(page, live_server):
    content = server_error(RequestFactory().get("/")).content.decode()
    page.goto(live_server.url + "/robots.txt")  # The portal's origin, for the stylesheet's address.
    for viewport in ({"width": 375, "height": 812}, {"width": 1280, "height": 800}):
        page.set_viewport_size(viewport)
        page.set_content(content, wait_until="load")
        expect(page.get_by_role("heading", level=1)).to_have_text("Une erreur est survenue")
        # The stylesheet applied: the footer has the layout's background, not the browser's default.
        background = page.locator("footer").evaluate("element => getComputedStyle(element).backgroundColor")
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        assert_no_axe_violations(page)
