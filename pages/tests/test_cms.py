"""/cms/: the communication service and administrators edit; nobody else reaches it."""

import pytest

from accounts.enums import Role
from accounts.navigation import staff_areas


@pytest.mark.parametrize("role", [Role.COMMUNICATION, Role.ADMINISTRATOR])
def test_editors_see_contenus_in_their_navigation(user_with_role, role):
    assert {"label": "Contenus", "url": "/cms/", "description": "Pages d’information et actualités."} in staff_areas(
        user_with_role(role)
    )


@pytest.mark.parametrize("role", [None, Role.AGENT, Role.PROJECT_LEAD, Role.ELECTED])
def test_others_neither_see_nor_reach_the_cms(client, user_with_role, role):
    user = user_with_role(role)
    assert "Contenus" not in [area["label"] for area in staff_areas(user)]
    client.force_login(user)
    response = client.get("/cms/pages/")
    assert response.status_code == 403
    assert "Accès refusé" in response.content.decode()


def test_the_communication_service_cannot_manage_accounts_in_the_cms(client_for):
    client = client_for(Role.COMMUNICATION)
    for url in ["/cms/users/", "/cms/groups/", "/cms/sites/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == "/cms/", url


def test_the_cms_policy_is_relaxed_there_only(client_for):
    client = client_for(Role.COMMUNICATION)
    cms = client.get("/cms/pages/")
    assert "'unsafe-inline'" in cms["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in cms["Content-Security-Policy"]
    assert cms["X-Frame-Options"] == "SAMEORIGIN"
    public = client.get("/")
    assert "'unsafe-inline'" not in public["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]
    assert public["X-Frame-Options"] == "DENY"
