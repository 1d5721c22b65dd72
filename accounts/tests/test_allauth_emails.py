"""allauth's e-mails carry French texts, the portal's name and SITE_URL links; unknown addresses get nothing."""

import re

from django.core import mail
from django.test import override_settings

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

PORTAL = "Maisons du Département de la Haute-Marne"


def test_password_reset_mail_is_french_and_links_to_site_url(client, smtp_inbox):
    UserFactory(email="elu.collin@haute-marne.fr", elected=True)
    # Not pytest-django's `settings`: its override would outlive smtp_inbox's and restore the SMTP backend.
    with override_settings(SITE_URL="https://portail.haute-marne.example"):
        response = client.post("/comptes/password/reset/", {"email": "elu.collin@haute-marne.fr"})
    assert response.status_code == 302

    [(recipients, message)] = smtp_inbox.messages
    assert recipients == ["elu.collin@haute-marne.fr"]
    assert message["Subject"].strip() == "[Maisons du Département] Réinitialisation de votre mot de passe"
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Bonjour,")
    assert PORTAL in body
    assert "https://portail.haute-marne.example/" in body
    # The link is built on SITE_URL, never on the host the request named.
    link = re.search(r"https://portail\.haute-marne\.example(/comptes/password/reset/key/\S+/)", body).group(1)
    assert "testserver" not in body and "example.com" not in body
    assert "Hello" not in body and "Thank you" not in body
    assert client.get(link).status_code == 302  # allauth moves the key into the session.


def test_a_reset_for_an_unknown_address_sends_nothing_and_answers_the_same(client, smtp_inbox):
    UserFactory(email="connue@haute-marne.fr")
    known = client.post("/comptes/password/reset/", {"email": "connue@haute-marne.fr"})
    unknown = client.post("/comptes/password/reset/", {"email": "inconnue@haute-marne.fr"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [recipients for recipients, _ in smtp_inbox.messages] == [["connue@haute-marne.fr"]]


def test_a_password_change_is_notified_in_french(client):
    user = UserFactory(email="agent.martin@haute-marne.fr", agent=True, maisons=[])
    client.force_login(user)
    client.post(
        "/comptes/password/change/",
        {
            "oldpassword": DEFAULT_PASSWORD,
            "password1": "Un-autre-mot-de-passe-52",
            "password2": "Un-autre-mot-de-passe-52",
        },
        HTTP_USER_AGENT="Navigateur de test",
    )
    [message] = mail.outbox
    assert message.to == ["agent.martin@haute-marne.fr"]
    assert message.subject == "[Maisons du Département] Votre mot de passe a été modifié"
    assert "votre mot de passe a été modifié" in message.body
    assert "Navigateur de test" in message.body
    assert PORTAL in message.body and "http://testserver/" in message.body


def test_mfa_changes_are_notified_in_french(client):
    user = UserFactory(agent=True, maisons=[], mfa=True)
    client.force_login(user)
    client.post("/comptes/reauthenticate/", {"password": DEFAULT_PASSWORD})
    client.post("/comptes/2fa/recovery-codes/generate/")
    client.post("/comptes/2fa/totp/deactivate/")
    assert [message.subject for message in mail.outbox] == [
        "[Maisons du Département] Nouveaux codes de secours",
        "[Maisons du Département] Double authentification désactivée",
    ]
    assert all(PORTAL in message.body for message in mail.outbox)
