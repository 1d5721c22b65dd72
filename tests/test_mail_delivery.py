"""Invitations go out through a real SMTP server (aiosmtpd) and the link they carry works."""

import re

from accounts.enums import Role
from accounts.models import User


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
    assert client.get(link)["Location"] == "/comptes/invitation/"  # The token is kept in the session, off the URL.
    client.post(
        "/comptes/invitation/", {"password1": "Maisons-du-Departement-52", "password2": "Maisons-du-Departement-52"}
    )
    assert User.objects.get(email="communication.nouvelle@haute-marne.fr").roles == {Role.COMMUNICATION}
