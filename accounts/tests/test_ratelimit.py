"""Sign-in rate limits (allauth's ACCOUNT_RATE_LIMITS), switched on, counted in the real Redis across processes."""

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings

from accounts.adapters import AccountAdapter
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.test_mfa import totp_code
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent
from tests.support import run_django

LOCKED = AccountAdapter.error_messages["too_many_login_attempts"]

# One web process: posts wrong passwords for an address, each attempt from another client address (so that
# only the per-account limit can stop them), and reports what each attempt got.
WORKER = """
import json
from django.test import Client
from django.test.utils import override_settings
from django.conf import settings
from accounts.adapters import AccountAdapter

email, attempts, network, location = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
locked = AccountAdapter.error_messages["too_many_login_attempts"]
caches = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": location}}
with override_settings(CACHES=caches, ACCOUNT_RATE_LIMITS=settings.PRODUCTION_ACCOUNT_RATE_LIMITS):
    client = Client()
    outcomes = []
    for i in range(attempts):
        response = client.post(
            "/comptes/login/",
            {"login": email, "password": "pas-le-bon-mot-de-passe"},
            HTTP_X_FORWARDED_FOR=f"{network}.{i // 250}.{i % 250 + 1}",
        )
        html = response.content.decode()
        outcomes.append("locked" if locked in html else "refused" if response.status_code == 200 else "other")
print(json.dumps(outcomes))
"""


def _web_process(email: str, attempts: int, network: str) -> list[str]:
    result = run_django(WORKER, email, str(attempts), network, settings.CACHES["default"]["LOCATION"])
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def real_redis_limits(settings, redis_cache):
    """The production limits, counted in the real Redis (the tests' default cache is per process)."""
    settings.ACCOUNT_RATE_LIMITS = settings.PRODUCTION_ACCOUNT_RATE_LIMITS


@pytest.mark.django_db(transaction=True)
def test_failures_per_account_are_counted_across_web_processes(real_redis_limits, client):
    """100 failures per hour per account, however many web processes share the load."""
    assert "100/h/key" in settings.PRODUCTION_ACCOUNT_RATE_LIMITS["login_failed"]
    user = UserFactory(email="cible@haute-marne.fr", agent=True, maisons=[])
    with ThreadPoolExecutor(max_workers=2) as pool:
        first, second = pool.map(lambda network: _web_process(user.email, 51, network), ["10.1", "10.2"])

    outcomes = first + second
    assert outcomes.count("refused") == 100  # Each process alone stayed under the limit…
    assert outcomes.count("locked") == 2  # …but together they reached it.
    assert first.count("refused") < 100 and second.count("refused") < 100
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED, identifier=user.email).count() == 100
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT, identifier=user.email).count() == 2

    # A third process (this one): even the right password is refused for now.
    response = client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_reads_the_same_for_known_and_unknown_addresses(settings, client):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,2/h/key"}
    UserFactory(email="connue@haute-marne.fr", agent=True, maisons=[])
    answers = {}
    for email in ("connue@haute-marne.fr", "inconnue@haute-marne.fr"):
        for _ in range(2):
            client.post("/comptes/login/", {"login": email, "password": "pas-le-bon-mot-de-passe"})
        response = client.post("/comptes/login/", {"login": email, "password": DEFAULT_PASSWORD})
        html = response.content.decode()
        answers[email] = (response.status_code, html[html.index('<div class="form-errors"') :].split("</div>")[0])
    assert answers["connue@haute-marne.fr"] == answers["inconnue@haute-marne.fr"]
    assert LOCKED in answers["connue@haute-marne.fr"][1]
    assert "_auth_user_id" not in client.session


def test_clients_behind_the_proxy_are_counted_apart(settings, client):
    """With TRUSTED_PROXY_COUNT=1 the client is the last X-Forwarded-For entry, the one the proxy appended."""
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": "3/m/ip,100/h/key"}
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1

    def attempt(forwarded_for: str, n: int) -> bool:
        response = client.post(
            "/comptes/login/",
            {"login": f"personne{n}@haute-marne.fr", "password": "pas-le-bon-mot-de-passe"},
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        return LOCKED in response.content.decode()

    assert [attempt("203.0.113.10", n) for n in range(4)] == [False, False, False, True]
    assert attempt("203.0.113.20", 5) is False  # Another client behind the same proxy is not locked out.
    assert attempt("203.0.113.20, 203.0.113.10", 6) is True  # A forged first entry changes nothing.
    assert set(
        SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).values_list("ip_address", flat=True)
    ) == {"203.0.113.10", "203.0.113.20"}


def test_too_many_sign_in_requests_get_the_french_429_page(settings, client):
    settings.ACCOUNT_RATE_LIMITS = {"login": "2/m/ip"}
    for _ in range(2):
        assert client.post("/comptes/login/", {"login": "x@haute-marne.fr", "password": "faux"}).status_code == 200
    response = client.post("/comptes/login/", {"login": "x@haute-marne.fr", "password": "faux"})
    html = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Trop de tentatives</h1>" in html
    assert "Maisons du Département" in html and "Too Many Requests" not in html
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LOCKED_OUT, identifier="x@haute-marne.fr").exists()


def test_the_admin_sign_in_goes_through_the_portal_sign_in(client):
    administrator = UserFactory(administrator=True)
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=%2Fadmin%2F"
    # The admin's own form, which no rate limit or MFA guards, no longer signs anyone in.
    client.post("/admin/login/", {"username": administrator.email, "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session

    response = client.post(
        "/comptes/login/?next=/admin/", {"login": administrator.email, "password": DEFAULT_PASSWORD, "next": "/admin/"}
    )
    assert response["Location"] == "/comptes/2fa/authenticate/"
    response = client.post("/comptes/2fa/authenticate/", {"code": totp_code()})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
