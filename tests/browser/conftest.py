"""Browser tests: Debian's Chromium driven by Playwright against Django's live_server."""

import os

import pytest
from django.conf import settings
from django.test import Client

from demo.services import demo_seed
from maisons.tests.factories import CommuneFactory

from .csp import CSPWatcher

# Playwright's sync API runs an event loop in this thread; the ORM is used beside it in tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)
            # The live server runs in another thread: data must be committed for it to see.
            if item.get_closest_marker("django_db") is None:
                item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
        "args": CHROMIUM_FLAGS,
        "headless": True,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture
def page(page):
    # Fail fast: a missing element should not hang a test for 30 s.
    page.set_default_timeout(10_000)
    watcher = CSPWatcher(page)
    page.csp_watcher = watcher
    yield page
    # Every page must work without inline scripts or styles: any violation fails the test that met it.
    watcher.assert_none()


@pytest.fixture
def sign_in(live_server, context):
    """Give the browser context the session of `user`, as if they had signed in."""

    def do(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
        return user

    return do


@pytest.fixture
def page_as(page, sign_in, user_with_role):
    """The browser page signed in as a new person holding `role` (see the root conftest's `user_with_role`)."""

    def make(role, **user_kwargs):
        sign_in(user_with_role(role, **user_kwargs))
        return page

    return make


@pytest.fixture
def demo_data():
    """The demonstration portal (`make run`'s data), with the three communes it names instead of the whole list."""
    for code, name, postal in [
        ("52121", "Chaumont", "52000"),
        ("52269", "Langres", "52200"),
        ("52448", "Saint-Dizier", "52100"),
    ]:
        CommuneFactory(code_insee=code, name=name, postal_codes=[postal])
    return demo_seed(load_communes=False)
