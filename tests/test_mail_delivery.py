"""Invitations go out through a real SMTP server (aiosmtpd) and the link they carry works."""

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from accounts.enums import Role
from accounts.models import User


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (envelope.rcpt_tos, email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox():
    inbox = Inbox()
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


def test_invitation_is_delivered_by_smtp_and_its_link_creates_the_account(client, user_with_role, smtp_inbox):
    client.force_login(user_with_role(Role.PROJECT_LEAD))
    response = client.post(
        "/comptes/invitations/nouvelle/",
        {"email": "communication.nouvelle@haute-marne.fr", "roles": ["communication"]},
    )
    assert response.status_code == 302
    assert len(smtp_inbox.messages) == 1
    recipients, message = smtp_inbox.messages[0]
    assert recipients == ["communication.nouvelle@haute-marne.fr"]
    assert message["Subject"].strip() == "Votre compte sur le portail des Maisons du Département"
    assert "ne-pas-repondre@haute-marne.fr" in message["From"]
    body = message.get_body().get_content()
    link = re.search(r"http://testserver(/comptes/invitation/\S+/)", body).group(1)

    client.logout()
    client.post(link, {"password1": "Maisons-du-Departement-52", "password2": "Maisons-du-Departement-52"})
    assert User.objects.get(email="communication.nouvelle@haute-marne.fr").roles == {Role.COMMUNICATION}
