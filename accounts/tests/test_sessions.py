"""Staff sessions end after 30 minutes idle, 12 hours in all, and with the browser (accounts/middleware.py)."""

import time

import pytest
from django.conf import settings

from accounts.middleware import LAST_ACTIVITY_AT, SESSION_EXPIRED_MESSAGE, SIGNED_IN_AT
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent


@pytest.fixture
def agent(maison_langres):
    return UserFactory(agent=True, maisons=[maison_langres])


def signed_in(client, user):
    response = client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return client


def move_clocks(client, *, idle: float = 0, since_sign_in: float = 0) -> None:
    """As if the last request was `idle` seconds ago and the sign-in `since_sign_in` seconds ago."""
    session = client.session
    now = time.time()
    session[LAST_ACTIVITY_AT] = now - idle
    session[SIGNED_IN_AT] = now - since_sign_in
    session.save()


def test_the_limits_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_MAX_AGE == 12 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_a_session_idle_for_more_than_thirty_minutes_ends(client, agent):
    signed_in(client, agent)
    move_clocks(client, idle=30 * 60 + 1, since_sign_in=40 * 60)
    response = client.get("/accueil/")
    assert response.status_code == 302
    assert response["Location"] == "/comptes/login/?next=%2Faccueil%2F"
    assert "_auth_user_id" not in client.session
    assert SESSION_EXPIRED_MESSAGE in client.get(response["Location"]).content.decode()
    event = SecurityEvent.objects.get(kind=SecurityEventKind.SESSION_EXPIRED)
    assert event.user == agent
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.LOGOUT).exists()


def test_an_active_session_ends_after_twelve_hours(client, agent):
    signed_in(client, agent)
    move_clocks(client, idle=60, since_sign_in=12 * 60 * 60 + 1)
    response = client.get("/accueil/")
    assert response["Location"].startswith("/comptes/login/")
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client, agent):
    signed_in(client, agent)
    move_clocks(client, idle=29 * 60, since_sign_in=11 * 60 * 60)
    assert client.get("/accueil/").status_code == 200
    assert time.time() - client.session[LAST_ACTIVITY_AT] < 5  # The idle clock starts again…
    move_clocks(client, idle=29 * 60, since_sign_in=11 * 60 * 60)
    assert client.get("/accueil/").status_code == 200  # …so 58 minutes of steady use are fine.


def test_signing_in_again_starts_new_clocks(client, agent):
    signed_in(client, agent)
    move_clocks(client, idle=31 * 60, since_sign_in=31 * 60)
    client.get("/accueil/")
    signed_in(client, agent)
    assert client.get("/accueil/").status_code == 200
    assert time.time() - client.session[SIGNED_IN_AT] < 5


def test_the_session_cookie_ends_with_the_browser(client, agent):
    response = client.post("/comptes/login/", {"login": agent.email, "password": DEFAULT_PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie.value
    assert cookie["expires"] == "" and cookie["max-age"] == ""


def test_the_sessions_page_lists_the_persons_sessions(client, agent):
    signed_in(client, agent)
    html = client.get("/comptes/sessions/").content.decode()
    assert "<h1>Mes sessions</h1>" in html
    assert "30 minutes" in html
