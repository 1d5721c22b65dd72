"""HTTP security headers on public pages, staff pages and the administration (docs/security.md).

The in-process tests read each header as the browser gets it; the last test starts the production image's
command (gunicorn, production settings) and reads what only production sends: HSTS and Secure cookies.
"""

import http.client
import json
import re
from http.cookies import SimpleCookie

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.enums import Role
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.test_deploy import (
    PRODUCTION_HOST,
    database_url_of_this_test,
    dockerfile_arguments,
    free_port,
    healthcheck_command,
    production_env,
    running,
)

PAGES = [
    # (url, role or None for the public, expected status)
    ("/", None, 200),
    ("/maisons/langres/", None, 200),
    ("/comptes/login/", None, 200),
    ("/page-inexistante/", None, 404),
    ("/sante/", None, 200),
    ("/accueil/", Role.AGENT, 200),
    ("/gestion/", Role.PROJECT_LEAD, 200),
    ("/gestion/", Role.ELECTED, 403),
    ("/admin/", Role.ADMINISTRATOR, 200),
    ("/admin/accounts/user/", Role.ADMINISTRATOR, 200),
    ("/admin/accounts/user/add/", Role.ADMINISTRATOR, 200),
]
DENIED_FEATURES = ["camera", "microphone", "geolocation", "payment", "usb", "interest-cohort", "browsing-topics"]


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.fixture(params=PAGES, ids=[f"{url} {role or 'public'}" for url, role, _ in PAGES])
def response(request, client, user_with_role, maison_langres):
    url, role, expected_status = request.param
    if role is not None:
        client.force_login(user_with_role(role))
    response = client.get(url)
    assert response.status_code == expected_status
    return response


def test_content_security_policy_allows_only_the_portals_own_files(response):
    policy = csp_directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # No inline script, no eval, no nonce needed.
    assert policy["style-src"] == ["'self'"]  # No inline style either, the administration's included.
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]


def test_browser_features_are_denied(response):
    policy = dict(
        re.match(r"([a-z-]+)=(.*)", part.strip()).groups() for part in response["Permissions-Policy"].split(",")
    )
    for feature in DENIED_FEATURES:
        assert policy[feature] == "()", feature


def test_no_sniffing_no_framing_no_referrer_outside(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_cookies_are_out_of_reach_of_scripts(client):
    response = client.get("/comptes/login/")
    assert response.cookies["csrftoken"]["httponly"]
    user = UserFactory()
    response = client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"


def _get(port: int, path: str, headers: dict | None = None, method: str = "GET", body: str | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": PRODUCTION_HOST, "X-Forwarded-Proto": "https", **(headers or {})}
    connection.request(method, path, body=body, headers=headers)
    return connection.getresponse()


def _cookie(response, name: str):
    cookies = SimpleCookie()
    for value in response.headers.get_all("Set-Cookie") or []:
        cookies.load(value)
    return cookies[name]


@pytest.mark.django_db(transaction=True)
def test_production_sends_hsts_and_secure_cookies(tmp_path):
    """Behind the reverse proxy (X-Forwarded-Proto: https), with the production settings of the image.

    Only the static files' storage differs: the image's build runs collectstatic for the manifest, skipped here.
    """
    (tmp_path / "headers_settings.py").write_text(
        "from config.settings.base import *  # noqa: F403\n\n"
        "STORAGES = {**STORAGES, 'staticfiles': {'BACKEND': 'django.contrib.staticfiles.storage.StaticFilesStorage'}}"
    )
    # Production checks passwords with its own hasher, not the tests' MD5.
    user = UserFactory()
    user.password = PBKDF2PasswordHasher().encode(DEFAULT_PASSWORD, "sel-de-test")
    user.save(update_fields=["password"])
    port = free_port()
    env = production_env(
        PORT=str(port),
        DATABASE_URL=database_url_of_this_test(),
        WEB_CONCURRENCY="1",
        DJANGO_SETTINGS_MODULE="headers_settings",
        PYTHONPATH=str(tmp_path),
    )
    (command,) = dockerfile_arguments("CMD")
    with running(json.loads(command), env) as web:
        web.wait_until_healthy(healthcheck_command("web"))

        response = _get(port, "/comptes/login/")
        assert response.status == 200, response.read()[:500]
        assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains; preload"
        assert "'unsafe-inline'" not in response.getheader("Content-Security-Policy")
        csrf = _cookie(response, "csrftoken")
        assert csrf["secure"] and csrf["httponly"]

        body = f"login={user.email}&password={DEFAULT_PASSWORD}&csrfmiddlewaretoken={csrf.value}"
        response = _get(
            port,
            "/comptes/login/",
            method="POST",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"csrftoken={csrf.value}",
                "Origin": f"https://{PRODUCTION_HOST}",
                "Referer": f"https://{PRODUCTION_HOST}/comptes/login/",
            },
        )
        assert response.status == 302, response.read()[:500]
        session = _cookie(response, "sessionid")
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
