"""Browser tests: Debian's Chromium driven by Playwright against Django's live_server."""

import os
import subprocess

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from accounts.models import User
from demo.data import ACCOUNTS
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


def _demo_seed() -> None:
    for code, name, postal in [
        ("52121", "Chaumont", "52000"),
        ("52269", "Langres", "52200"),
        ("52448", "Saint-Dizier", "52100"),
    ]:
        CommuneFactory(code_insee=code, name=name, postal_codes=[postal])
    demo_seed(load_communes=False)


def _database():
    from devtools.backup import Database

    database = Database.from_settings(connection.settings_dict)
    return database, database.server_major_version()


@pytest.fixture
def demo_data(tmp_path_factory):
    """The demonstration portal (`make run`'s data), with the three communes it names instead of the whole list.

    Seeding takes seconds and each browser test starts from an empty database: the first test of this process
    seeds and keeps a copy of every table (pg_dump, data only); the next ones empty the tables and load the copy
    (pg_restore), a fraction of the time. The uploaded images it names stay in MEDIA_ROOT between tests.
    """
    from devtools.backup import find_client

    tables = [table for table in connection.introspection.table_names() if table != "django_migrations"]
    dump = _DEMO_DUMP.get("path")
    if dump is None:
        _demo_seed()
        database, major = _database()
        dump = tmp_path_factory.mktemp("demo") / "demo.dump"
        subprocess.run(
            [str(find_client("pg_dump", major)), "--format=custom", "--data-only", "--file", str(dump)]
            + [argument for table in tables for argument in ("--table", table)],
            env=database.libpq_env(),
            check=True,
            capture_output=True,
        )
        _DEMO_DUMP["path"] = dump
    else:
        database, major = _database()
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(table) for table in tables) + " CASCADE")
        subprocess.run(
            [str(find_client("pg_restore", major)), "--data-only", "--disable-triggers", "--single-transaction"]
            + ["--no-owner", "--dbname", database.name, str(dump)],
            env=database.libpq_env(),
            check=True,
            capture_output=True,
        )
    return {email: User.objects.get(email=email) for email, *_ in ACCOUNTS}


_DEMO_DUMP: dict = {}
