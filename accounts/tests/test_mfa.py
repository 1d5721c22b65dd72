"""Multi-factor authentication: TOTP and recovery codes (allauth.mfa), required for some roles by the portal."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.core import mail

from accounts.middleware import MFA_REQUIRED_MESSAGE
from accounts.perms import must_use_mfa
from accounts.tests.factories import DEFAULT_PASSWORD, MFA_TEST_SECRET, UserFactory
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent

ACTIVATE_URL = "/comptes/2fa/totp/activate/"


def totp_code(secret: str = MFA_TEST_SECRET, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (RFC 6238, 30-second steps), as allauth computes it."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


def sign_in(client, user):
    return client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})


def confirm_password(client):
    """allauth asks for the password again before any change to MFA (its "reauthentication")."""
    response = client.post("/comptes/reauthenticate/", {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302


def test_the_rule_names_the_roles_that_must_use_mfa():
    assert must_use_mfa(UserFactory(project_lead=True))
    assert must_use_mfa(UserFactory(administrator=True))
    assert must_use_mfa(UserFactory(communication=True))
    assert not must_use_mfa(UserFactory(agent=True))
    assert not must_use_mfa(UserFactory(elected=True))
    assert not must_use_mfa(UserFactory())


def test_project_lead_without_totp_is_sent_to_activation_everywhere(client):
    client.force_login(UserFactory(project_lead=True, mfa=False))
    for url in ("/gestion/", "/admin/", "/comptes/", "/comptes/invitations/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == ACTIVATE_URL, url
    response = client.get("/gestion/", follow=True)
    assert MFA_REQUIRED_MESSAGE in response.content.decode()
    # What activation needs stays reachable: the MFA pages, the password confirmation, health, signing out.
    assert client.get("/comptes/2fa/").status_code == 200
    assert client.get("/comptes/reauthenticate/").status_code == 200
    assert client.get("/sante/").status_code in (200, 503)
    assert client.post("/comptes/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_administrator_without_totp_cannot_reach_the_admin(client):
    client.force_login(UserFactory(administrator=True, mfa=False))
    assert client.get("/admin/")["Location"] == ACTIVATE_URL


def test_an_agent_is_offered_mfa_but_not_forced(client):
    client.force_login(UserFactory(agent=True, maisons=[]))
    assert client.get("/comptes/").status_code == 200
    response = client.get("/comptes/2fa/")
    assert response.status_code == 200
    assert "pas activée" in response.content.decode()


def test_project_lead_activates_totp_then_reaches_the_management_pages(client):
    user = UserFactory(project_lead=True, mfa=False)
    response = sign_in(client, user)
    assert response["Location"] == "/comptes/"
    assert client.get("/comptes/")["Location"] == ACTIVATE_URL
    assert client.get(ACTIVATE_URL)["Location"].startswith("/comptes/reauthenticate/?next=")
    confirm_password(client)

    response = client.get(ACTIVATE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    assert secret in html  # Shown as text for manual entry…
    assert 'src="data:image/svg+xml;base64,' in html  # …and as a QR code inside the page: no outside request.
    assert "<script" not in html
    assert "Activer la double authentification" in html

    response = client.post(ACTIVATE_URL, {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert response.status_code == 200
    assert not Authenticator.objects.filter(user=user).exists()

    response = client.post(ACTIVATE_URL, {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/comptes/2fa/recovery-codes/"
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get("/gestion/").status_code == 200
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.MFA_ENABLED).count() == 1
    assert [message.subject for message in mail.outbox] == ["[Maisons du Département] Double authentification activée"]


def test_sign_in_with_totp_asks_for_the_code_after_the_password(client):
    user = UserFactory(project_lead=True)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == "/comptes/2fa/authenticate/"
    assert "_auth_user_id" not in client.session  # Not signed in until the code is given.
    page = client.get("/comptes/2fa/authenticate/").content.decode()
    assert "<h1>Code de double authentification</h1>" in page

    response = client.post("/comptes/2fa/authenticate/", {"code": "12345678"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.MFA_FAILED).count() == 1

    response = client.post("/comptes/2fa/authenticate/", {"code": totp_code()})
    assert response.status_code == 302
    assert response["Location"] == "/comptes/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/gestion/").status_code == 200
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.LOGIN).count() == 1


@pytest.fixture
def mid_step_clock(monkeypatch):
    """The clock moved to the middle of a 30-second step, running on from there: a test that names « the step just
    past » has 15 seconds before the steps turn under it (the test failed when they turned between its code and
    the server's check)."""
    real = time.time
    shift = 15 - real() % 30
    monkeypatch.setattr(time, "time", lambda: real() + shift)


def test_a_code_from_the_step_just_past_is_accepted_once_and_an_older_one_refused(client, mid_step_clock):
    """A code typed as the 30-second step turns still works (one step of drift); it cannot be used twice."""
    user = UserFactory(project_lead=True)
    sign_in(client, user)
    response = client.post("/comptes/2fa/authenticate/", {"code": totp_code(offset=-3)})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    response = client.post("/comptes/2fa/authenticate/", {"code": totp_code(offset=-1)})
    assert response["Location"] == "/comptes/"
    client.post("/comptes/logout/")

    sign_in(client, user)
    response = client.post("/comptes/2fa/authenticate/", {"code": totp_code(offset=-1)})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_a_recovery_code_signs_in_once(client):
    user = UserFactory(project_lead=True)
    recovery = RecoveryCodes(Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES))
    code = recovery.get_unused_codes()[0]

    sign_in(client, user)
    response = client.post("/comptes/2fa/authenticate/", {"code": code})
    assert response["Location"] == "/comptes/"
    assert client.session["_auth_user_id"] == str(user.pk)
    client.post("/comptes/logout/")

    sign_in(client, user)
    response = client.post("/comptes/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_those_who_must_use_mfa_cannot_switch_it_off(client):
    user = UserFactory(project_lead=True)
    sign_in(client, user)
    client.post("/comptes/2fa/authenticate/", {"code": totp_code()})
    confirm_password(client)
    response = client.get("/comptes/2fa/totp/deactivate/")
    assert response.status_code == 200
    assert "obligatoire pour votre rôle" in response.content.decode()
    client.post("/comptes/2fa/totp/deactivate/")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_the_mfa_page_says_it_is_mandatory_and_offers_no_switch_off_to_those_roles(client):
    lead, agent = UserFactory(project_lead=True), UserFactory(agent=True, mfa=True)
    client.force_login(lead)
    html = client.get("/comptes/2fa/").content.decode()
    assert "obligatoire" in html and "/comptes/2fa/totp/deactivate/" not in html
    client.force_login(agent)
    html = client.get("/comptes/2fa/").content.decode()
    assert "obligatoire" not in html and "/comptes/2fa/totp/deactivate/" in html


def test_an_agent_can_switch_mfa_off(client):
    user = UserFactory(agent=True, mfa=True)
    sign_in(client, user)
    client.post("/comptes/2fa/authenticate/", {"code": totp_code()})
    confirm_password(client)
    response = client.post("/comptes/2fa/totp/deactivate/")
    assert response["Location"] == "/comptes/2fa/"
    assert not Authenticator.objects.filter(user=user).exists()
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.MFA_DISABLED).count() == 1


def test_recovery_codes_can_be_viewed_downloaded_and_renewed(client):
    user = UserFactory(project_lead=True)
    old_codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes()
    sign_in(client, user)
    client.post("/comptes/2fa/authenticate/", {"code": totp_code()})
    confirm_password(client)

    page = client.get("/comptes/2fa/recovery-codes/").content.decode()
    assert "<h1>Codes de secours</h1>" in page and old_codes[0] in page
    download = client.get("/comptes/2fa/recovery-codes/download/")
    assert download["Content-Disposition"].startswith("attachment")
    assert download.content.decode().split() == old_codes

    assert (
        "<h1>Générer des codes de secours</h1>" in client.get("/comptes/2fa/recovery-codes/generate/").content.decode()
    )
    response = client.post("/comptes/2fa/recovery-codes/generate/")
    assert response["Location"] == "/comptes/2fa/recovery-codes/"
    new_codes = RecoveryCodes(Authenticator.objects.get(user=user, type="recovery_codes")).get_unused_codes()
    assert set(new_codes).isdisjoint(old_codes)
    assert SecurityEvent.objects.filter(user=user, kind=SecurityEventKind.MFA_RECOVERY_CODES).count() == 1
