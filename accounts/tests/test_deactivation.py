"""An administrator deactivates an account at once: every session of the person ends on the spot."""

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client

from accounts.enums import Role
from accounts.models import User
from accounts.services import user_deactivate
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from audit.enums import SecurityEventKind
from audit.models import SecurityEvent


@pytest.fixture
def agent(maison_langres):
    return UserFactory(email="camille.bertrand@haute-marne.fr", agent=True, maisons=[maison_langres])


def _signed_in_clients(agent) -> tuple[Client, Client]:
    """One session opened through allauth's sign-in (tracked by allauth.usersessions), one that is not."""
    through_allauth = Client()
    response = through_allauth.post("/comptes/login/", {"login": agent.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    untracked = Client()
    untracked.force_login(agent)
    for client in (through_allauth, untracked):
        assert client.get("/accueil/").status_code == 200
    assert UserSession.objects.filter(user=agent).count() == 1
    return through_allauth, untracked


def _is_signed_out(client: Client) -> bool:
    response = client.get("/accueil/")
    return response.status_code == 302 and response["Location"].startswith("/comptes/login/")


def test_deactivating_from_the_admin_signs_the_person_out_everywhere(client_for, agent):
    clients = _signed_in_clients(agent)
    session_keys = [client.session.session_key for client in clients]
    admin_client = client_for(Role.ADMINISTRATOR)

    response = admin_client.post(
        "/admin/accounts/user/", {"action": "deactivate_now", "_selected_action": [agent.pk]}, follow=True
    )
    assert "1 compte(s) désactivé(s)" in response.content.decode()

    assert all(_is_signed_out(client) for client in clients)
    assert not Session.objects.filter(session_key__in=session_keys).exists()
    assert not UserSession.objects.filter(user=agent).exists()
    agent.refresh_from_db()
    assert not agent.is_active
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ACCOUNT_DEACTIVATED, user=agent)
    assert event.actor.has_role(Role.ADMINISTRATOR)
    assert event.details["sessions_ended"] == 2

    # Reactivated, the person signs in again; the old sessions stay ended.
    admin_client.post("/admin/accounts/user/", {"action": "reactivate", "_selected_action": [agent.pk]})
    assert User.objects.get(pk=agent.pk).is_active
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ACCOUNT_REACTIVATED, user=agent).exists()
    assert all(_is_signed_out(client) for client in clients)
    assert Client().post("/comptes/login/", {"login": agent.email, "password": DEFAULT_PASSWORD}).status_code == 302


def test_unticking_active_in_the_admin_form_ends_the_sessions_too(client_for, agent):
    clients = _signed_in_clients(agent)
    admin_client = client_for(Role.ADMINISTRATOR)
    response = admin_client.post(
        f"/admin/accounts/user/{agent.pk}/change/",
        {
            "email": agent.email,
            "first_name": agent.first_name,
            "last_name": agent.last_name,
            "groups": [agent.groups.get().pk],
            "maisons": [maison.pk for maison in agent.maisons.all()],
        },
    )
    assert response.status_code == 302
    assert all(_is_signed_out(client) for client in clients)
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.ACCOUNT_DEACTIVATED, user=agent).count() == 1


def test_other_peoples_sessions_are_left_alone(client, agent, user_with_role):
    other = user_with_role(Role.ELECTED)
    client.force_login(other)
    user_deactivate(user=agent, actor=None)
    assert client.get("/reservations/").status_code == 200


def test_an_administrator_cannot_deactivate_themselves(client, user_with_role):
    admin = user_with_role(Role.ADMINISTRATOR)
    user_with_role(Role.ADMINISTRATOR)  # Another one, so that only the self rule applies.
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/", {"action": "deactivate_now", "_selected_action": [admin.pk]}, follow=True
    )
    assert "Vous ne pouvez pas désactiver votre propre compte." in response.content.decode()
    assert User.objects.get(pk=admin.pk).is_active


def test_the_last_active_administrator_cannot_be_deactivated(user_with_role):
    admin = user_with_role(Role.ADMINISTRATOR)
    with pytest.raises(ValidationError, match="au moins un administrateur actif"):
        user_deactivate(user=admin, actor=None)
    assert User.objects.get(pk=admin.pk).is_active
