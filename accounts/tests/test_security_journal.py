"""The security journal: every sign-in event in audit.SecurityEvent with address and browser, and a log line."""

import logging

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from accounts.tests.test_mfa import totp_code
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (Poste d’accueil)", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}


def kinds(user=None):
    events = SecurityEvent.objects.order_by("occurred_at", "pk")
    if user is not None:
        events = events.filter(user=user)
    return [event.kind for event in events]


def test_sign_in_failure_and_sign_out_are_journalled_with_address_and_browser(client, caplog):
    user = UserFactory(agent=True, maisons=[])
    with caplog.at_level(logging.INFO, logger="portail.security"):
        client.post("/comptes/login/", {"login": user.email, "password": "pas-le-bon"}, **BROWSER)
        client.post("/comptes/login/", {"login": "Personne.Inconnue@example.fr", "password": "x"}, **BROWSER)
        client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD}, **BROWSER)
        client.post("/comptes/logout/", **BROWSER)

    failures = SecurityEvent.objects.filter(kind=SecurityEventKind.LOGIN_FAILED).order_by("pk")
    assert [event.identifier for event in failures] == [user.email, "personne.inconnue@example.fr"]
    assert kinds(user) == [SecurityEventKind.LOGIN, SecurityEventKind.LOGOUT]
    for event in SecurityEvent.objects.all():
        assert event.ip_address == "198.51.100.7"  # The client, as the trusted proxy reports it.
        assert event.user_agent == "Mozilla/5.0 (Poste d’accueil)"
    logged = [record for record in caplog.records if record.name == "portail.security"]
    assert [record.security_event for record in logged] == ["login_failed", "login_failed", "login", "logout"]
    assert logged[2].user_id == user.pk
    assert [record.security_event_id for record in logged] == list(
        SecurityEvent.objects.order_by("pk").values_list("pk", flat=True)
    )
    # No address typed, no IP address in the general logs (core/logging.py): the journal keeps them.
    for record in logged:
        assert user.email not in str(vars(record)) and "198.51.100.7" not in str(vars(record))


def test_password_change_and_reset_are_journalled(client):
    user = UserFactory(agent=True, maisons=[])
    client.force_login(user)
    response = client.post(
        "/comptes/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "Un-autre-mot-de-passe-52",
            "password2": "Un-autre-mot-de-passe-52",
        },
    )
    assert response.status_code == 302
    assert SecurityEventKind.PASSWORD_CHANGED in kinds(user)

    from django.core import mail

    client.post("/comptes/logout/")
    client.post("/comptes/password/reset/", {"email": user.email})
    link = next(line for line in mail.outbox[-1].body.splitlines() if "/password/reset/key/" in line)
    response = client.get(link.replace("http://testserver", ""), follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"password1": "Encore-un-mot-de-passe-52", "password2": "Encore-un-mot-de-passe-52"},
    )
    assert SecurityEventKind.PASSWORD_RESET in kinds(user)


def test_mfa_changes_and_failures_are_journalled(client):
    user = UserFactory(agent=True, maisons=[], mfa=True)
    client.post("/comptes/login/", {"login": user.email, "password": DEFAULT_PASSWORD})
    client.post("/comptes/2fa/authenticate/", {"code": "000000" if totp_code() != "000000" else "111111"})
    client.post("/comptes/2fa/authenticate/", {"code": totp_code()})
    client.post("/comptes/reauthenticate/", {"password": DEFAULT_PASSWORD})
    client.post("/comptes/2fa/recovery-codes/generate/")
    client.post("/comptes/2fa/totp/deactivate/")
    assert kinds(user) == [
        SecurityEventKind.MFA_FAILED,
        SecurityEventKind.LOGIN,
        SecurityEventKind.MFA_RECOVERY_CODES,
        SecurityEventKind.MFA_DISABLED,
    ]
