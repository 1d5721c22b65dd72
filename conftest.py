"""Guardrails and fixtures shared by every test (les-emplois tests/conftest.py).

- every test may use the database (`django_db` applied automatically unless a test sets its own marker);
- `transaction.on_commit` callbacks run, so mails and tasks queued by services really go;
- no connection leaves this machine;
- a signed-in client for each role;
- real services: a Celery worker thread on the real broker, an SMTP server (see docs/testing.md).
"""

import email
import email.policy
import ipaddress
import os
import socket
import uuid

import pytest
from aiosmtpd.controller import Controller
from celery._state import _set_task_join_will_block
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.template import TemplateSyntaxError
from django.template.defaulttags import CsrfTokenNode
from django.test import Client, TestCase, override_settings

from accounts.enums import Role
from accounts.tests.factories import UserFactory
from config.celery import app as celery_app
from maisons.tests.factories import CommuneFactory, MaisonFactory

ROLE_TRAITS = {
    Role.AGENT: "agent",
    Role.PROJECT_LEAD: "project_lead",
    Role.ELECTED: "elected",
    Role.COMMUNICATION: "communication",
    Role.ADMINISTRATOR: "administrator",
}


def pytest_collection_modifyitems(items):
    for item in items:
        if item.get_closest_marker("django_db") is None:
            item.add_marker(pytest.mark.django_db)


@pytest.fixture(autouse=True)
def _run_on_commit_callbacks(monkeypatch):
    """Run `on_commit` callbacks at the end of each test-client request, as the request's commit would.

    Inside a test's transaction they would never run. Services called directly from a test use
    `django_capture_on_commit_callbacks(execute=True)` explicitly.
    """
    original = Client.request

    def request_then_commit(self, **request):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **request)

    monkeypatch.setattr(Client, "request", request_then_commit)


@pytest.fixture(autouse=True, scope="session")
def _fail_on_missing_csrf_token():
    """A form rendered without its CSRF token would be refused in real use: make it an error in tests."""
    original = CsrfTokenNode.render

    def render(self, context):
        if context.get("csrf_token") is None:
            raise TemplateSyntaxError("{% csrf_token %} sans jeton dans le contexte (un include « only » ?)")
        return original(self, context)

    CsrfTokenNode.render = render
    yield
    CsrfTokenNode.render = original


@pytest.fixture
def redis_cache(settings):
    """The shared cache switched on against the real Redis, in a database private to this test process (see
    tests/support.redis_cache_url): for rate limits, the page cache and anything that must hold across processes."""
    from tests.support import redis_caches

    settings.CACHES = redis_caches()
    cache.clear()
    yield settings.CACHES["default"]["LOCATION"]
    cache.clear()


@pytest.fixture(autouse=True)
def _clear_cache():
    from core.pagecache import forget_local

    cache.clear()
    forget_local()
    yield
    cache.clear()
    forget_local()


_real_connect = socket.socket.connect


def _is_local(address) -> bool:
    if isinstance(address, (str, bytes)):  # Unix socket path.
        return True
    host = address[0]
    if host in ("localhost",):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self, address):
    if not _is_local(address):
        raise RuntimeError(f"Les tests n’ont pas accès au réseau extérieur ({address!r}).")
    return _real_connect(self, address)


@pytest.fixture(autouse=True, scope="session")
def _no_outside_network():
    socket.socket.connect = _guarded_connect
    yield
    socket.socket.connect = _real_connect


@pytest.fixture
def commune_langres():
    return CommuneFactory(code_insee="52269", name="Langres", postal_codes=["52200"])


@pytest.fixture
def commune_saint_dizier():
    return CommuneFactory(code_insee="52448", name="Saint-Dizier", postal_codes=["52100"])


@pytest.fixture
def maison_langres(commune_langres):
    return MaisonFactory(
        name="Maison du Département de Langres",
        slug="langres",
        commune=commune_langres,
        postal_code="52200",
        with_weekday_hours=True,
    )


@pytest.fixture
def maison_saint_dizier(commune_saint_dizier):
    return MaisonFactory(
        name="Maison du Département de Saint-Dizier",
        slug="saint-dizier",
        commune=commune_saint_dizier,
        postal_code="52100",
        with_weekday_hours=True,
    )


@pytest.fixture
def user_with_role(maison_langres):
    """Build a user holding `role`; an agent is attached to Langres unless told otherwise."""

    def make(role: Role | None, **kwargs):
        if role is None:
            return UserFactory(**kwargs)
        if role == Role.AGENT:
            kwargs.setdefault("maisons", [maison_langres])
        return UserFactory(**{ROLE_TRAITS[role]: True}, **kwargs)

    return make


@pytest.fixture
def admin_user(user_with_role):
    """pytest-django's `admin_client` signs in this person: an administrator as the portal makes them (role, MFA)."""
    return user_with_role(Role.ADMINISTRATOR)


@pytest.fixture
def client_for(client, user_with_role):
    """A test client signed in with `role` (None: signed in without a role; "anonymous": not signed in)."""

    def make(role):
        if role == "anonymous":
            return client
        client.force_login(user_with_role(role))
        return client

    return make


# Real services for integration tests -------------------------------------------------------------------------


def _forget_celery_backend() -> None:
    """The app caches its result backend (per thread, or once when thread-safe): rebuild it from the new conf."""
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


@pytest.fixture
def celery_worker_thread():
    """A worker thread of the project's own app on a queue private to this test process (xdist-safe)."""
    queue = f"test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    conf = celery_app.conf
    previous = (conf.task_default_queue, conf.result_backend, conf.task_ignore_result)
    conf.task_default_queue = queue
    conf.result_backend = settings.CELERY_BROKER_URL
    conf.task_ignore_result = False
    # A task copies task_ignore_result when it is first bound to the app: one bound by an earlier test of this
    # process would still ignore its result, and a test waiting for it would wait in vain.
    ignoring = {name: task.ignore_result for name, task in celery_app.tasks.items()}
    for task in celery_app.tasks.values():
        task.ignore_result = False
    _forget_celery_backend()
    try:
        with start_worker(celery_app, pool="solo", perform_ping_check=False, queues=[queue], shutdown_timeout=30):
            yield queue
    finally:
        for name, ignore_result in ignoring.items():
            celery_app.tasks[name].ignore_result = ignore_result
        conf.task_default_queue, conf.result_backend, conf.task_ignore_result = previous
        _forget_celery_backend()
        # Celery's Django fixup closes database connections when the worker starts and after each task; drop
        # this thread's so that the next test opens a fresh one.
        connections.close_all()
        # A worker marks the process as one where waiting for a result would block (a process-wide flag): the next
        # tests of this process are not in a worker.
        _set_task_join_will_block(False)


class SMTPInbox:
    """What a real SMTP server (aiosmtpd) received: (recipients, parsed message) pairs."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox():
    """A real SMTP server on a free local port; Django sends through it while the fixture is active."""
    inbox = SMTPInbox()
    with socket.socket() as probe:  # A free port: aiosmtpd checks its server by connecting to it.
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
        ):
            yield inbox
    finally:
        controller.stop()
