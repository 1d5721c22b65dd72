"""The communication service updates the accessibility statement in /cms/ (« Paramètres »), and the pages follow."""

import html

from django.forms.models import model_to_dict

from accounts.enums import Role
from legal.models import AccessibilityStatement


def _form(client) -> tuple[str, dict]:
    response = client.get("/cms/settings/legal/accessibilitystatement/", follow=True)
    assert response.status_code == 200
    url = response.redirect_chain[-1][0] if response.redirect_chain else "/cms/settings/legal/accessibilitystatement/"
    data = {
        name: ("" if value is None else value)
        for name, value in model_to_dict(AccessibilityStatement.objects.get()).items()
        if name != "id"
    }
    return url, data


def test_the_communication_service_changes_the_status_and_every_footer_follows(client_for):
    client = client_for(Role.COMMUNICATION)
    url, data = _form(client)
    data.update(status="non", non_compliant_content="Les vidéos ne sont pas sous-titrées.")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    page = html.unescape(client.get("/accessibilite/").content.decode())
    assert "<strong>non conforme</strong>" in page
    assert "<li>Les vidéos ne sont pas sous-titrées.</li>" in page
    assert "Accessibilité : non conforme" in html.unescape(client.get("/mentions-legales/").content.decode())


def test_a_reception_agent_cannot_change_the_statement(client_for):
    client = client_for(Role.AGENT)
    response = client.get("/cms/settings/legal/accessibilitystatement/")
    assert response.status_code == 403  # /cms/ is for the communication service and administrators only.
    assert not AccessibilityStatement.objects.exists()
