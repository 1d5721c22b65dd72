"""Accounts are created by invitation: the link is mailed, lets the person choose a password, and expires."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.services import invitations_purge_expired
from accounts.tests.factories import InvitationFactory, UserFactory, add_mfa

STRONG_PASSWORD = "Langres-Saint-Dizier-2026"


ACCEPT_URL = "/comptes/invitation/"


def _link(message) -> str:
    return re.search(r"http://testserver(/comptes/invitation/[^/\s]+/)", message.body).group(1)


def open_link(client, invitation) -> None:
    """Follow a fresh link of `invitation` as the invited person does: the token then lives in the session."""
    token = invitation.set_new_token()
    invitation.save()
    response = client.get(f"/comptes/invitation/{token}/")
    assert response.status_code == 302
    assert response["Location"] == ACCEPT_URL


@pytest.fixture
def lead_client(client, user_with_role):
    lead = user_with_role(Role.PROJECT_LEAD, first_name="Sophie", last_name="Lemoine")
    client.force_login(lead)
    return client


def invite(client, **data):
    payload = {"email": "nouvel.agent@haute-marne.fr", "first_name": "Nina", "last_name": "Petit", "roles": ["agent"]}
    payload.update(data)
    return client.post("/comptes/invitations/nouvelle/", payload)


def test_invited_agent_chooses_a_password_and_gets_roles_and_maisons(lead_client, maison_langres):
    response = invite(lead_client, maisons=[maison_langres.pk])
    assert response.status_code == 302
    assert response["Location"] == "/comptes/invitations/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nouvel.agent@haute-marne.fr"]
    assert "Sophie Lemoine vous invite" in message.body
    assert "Agent d’accueil" in message.body
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in message.body  # Only the hash is stored; the mail holds the token.

    lead_client.logout()
    link = _link(message)
    response = lead_client.get(link)
    assert response.status_code == 302
    assert response["Location"] == ACCEPT_URL  # The token leaves the address bar (and the access logs).
    page = lead_client.get(ACCEPT_URL)
    assert page.status_code == 200
    assert "nouvel.agent@haute-marne.fr" in page.content.decode()
    response = lead_client.post(ACCEPT_URL, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/comptes/"

    user = User.objects.get(email="nouvel.agent@haute-marne.fr")
    assert user.check_password(STRONG_PASSWORD)
    assert user.roles == {Role.AGENT}
    assert list(user.maisons.all()) == [maison_langres]
    assert (user.first_name, user.last_name) == ("Nina", "Petit")
    assert not user.is_staff
    assert lead_client.get("/accueil/").status_code == 200  # Signed in, with the role's access.
    # The link cannot be used twice.
    lead_client.logout()
    assert lead_client.get(link).status_code == 410


def test_expired_link_is_refused_in_french(client):
    invitation = InvitationFactory(expired=True)
    token = invitation.set_new_token()
    invitation.save()
    response = client.get(f"/comptes/invitation/{token}/")
    assert response.status_code == 410
    assert "n’est plus valable" in response.content.decode()
    assert client.session.get("accounts_invitation") is None  # Nothing kept for a dead link.
    response = client.post(ACCEPT_URL, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert response.status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_unknown_link_is_refused(client):
    assert client.get("/comptes/invitation/nimporte-quoi/").status_code == 410


@pytest.mark.parametrize(
    ("password1", "password2", "message"),
    [
        ("", "", "Ce champ est obligatoire."),
        ("court", "court", "trop court"),
        (STRONG_PASSWORD, "autre-mot-de-passe-long", "ne correspondent pas"),
        ("123456789012345", "123456789012345", "entièrement numérique"),
    ],
)
def test_bad_passwords_are_refused_with_a_french_message(client, password1, password2, message):
    invitation = InvitationFactory()
    open_link(client, invitation)
    response = client.post(ACCEPT_URL, {"password1": password1, "password2": password2})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(email=invitation.email).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"email": ""}, "Ce champ est obligatoire."),
        ({"email": "pas-une-adresse"}, "Saisissez une adresse de courriel valide."),
        ({"email": "x" * 250 + "@haute-marne.fr"}, "au plus 254 caractères"),
        ({"roles": []}, "Ce champ est obligatoire."),
        ({"roles": ["inconnu"]}, "Sélectionnez un choix valide"),
        ({}, "Rattachez l’agent d’accueil à au moins une Maison."),
    ],
)
def test_invitation_form_refuses_bad_input(lead_client, data, field_error):
    response = invite(lead_client, **data)
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_cannot_invite_an_existing_account_or_twice(lead_client, maison_langres):
    UserFactory(email="deja.la@haute-marne.fr")
    response = invite(lead_client, email="Deja.La@haute-marne.fr", maisons=[maison_langres.pk])
    assert "Un compte existe déjà pour cette adresse." in response.content.decode()
    invite(lead_client, maisons=[maison_langres.pk])
    response = invite(lead_client, email="NOUVEL.agent@haute-marne.fr", maisons=[maison_langres.pk])
    assert "Une invitation est déjà en attente pour cette adresse." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_expired_invitation_can_be_renewed(lead_client, maison_langres):
    InvitationFactory(email="nouvel.agent@haute-marne.fr", expired=True)
    response = invite(lead_client, maisons=[maison_langres.pk])
    assert response.status_code == 302
    assert Invitation.objects.get().expires_at > timezone.now()


def test_project_lead_cannot_make_an_administrator(lead_client):
    response = invite(lead_client, roles=["administrateur"])
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Invitation.objects.exists()


def test_administrator_invitation_gives_admin_access(client, user_with_role):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    assert invite(client, email="admin2@haute-marne.fr", roles=["administrateur"]).status_code == 302
    client.logout()
    client.get(_link(mail.outbox[0]))
    client.post(ACCEPT_URL, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    user = User.objects.get(email="admin2@haute-marne.fr")
    assert user.is_staff and user.is_superuser
    assert user.roles == {Role.ADMINISTRATOR}
    # The role requires a second factor first (accounts/middleware.py), then opens the administration.
    assert client.get("/admin/")["Location"] == "/comptes/2fa/totp/activate/"
    add_mfa(user)
    assert client.get("/admin/").status_code == 200


def test_purge_removes_only_long_expired_invitations():
    old = InvitationFactory(expires_at=timezone.now() - datetime.timedelta(days=31))
    recent = InvitationFactory(expires_at=timezone.now() - datetime.timedelta(days=2))
    pending = InvitationFactory()
    assert invitations_purge_expired() == 1
    assert set(Invitation.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not Invitation.objects.filter(pk=old.pk).exists()


def test_resending_gives_a_fresh_link_and_kills_the_old_one(lead_client, maison_langres):
    invite(lead_client, maisons=[maison_langres.pk])
    old_link = _link(mail.outbox[0])
    invitation = Invitation.objects.get()
    invitation.expires_at = timezone.now() - datetime.timedelta(days=1)
    invitation.save()

    response = lead_client.post(f"/comptes/invitations/{invitation.pk}/renvoyer/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    new_link = _link(mail.outbox[1])
    assert new_link != old_link
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now()
    lead_client.logout()
    assert lead_client.get(old_link).status_code == 410
    assert lead_client.get(new_link).status_code == 302
    assert lead_client.get(ACCEPT_URL).status_code == 200


def test_an_accepted_invitation_cannot_be_resent(lead_client):
    invitation = InvitationFactory(accepted_at=timezone.now())
    assert lead_client.post(f"/comptes/invitations/{invitation.pk}/renvoyer/").status_code == 404
    assert mail.outbox == []


def test_a_twin_invitation_is_refused_by_the_database(user_with_role, django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    from accounts.services import invitation_create

    lead = user_with_role(Role.PROJECT_LEAD)
    with django_capture_on_commit_callbacks(execute=True):
        invitation_create(email="double@haute-marne.fr", roles=[Role.ELECTED], maisons=[], invited_by=lead)
    with pytest.raises(ValidationError, match="Une invitation est déjà en attente"):
        invitation_create(email="DOUBLE@haute-marne.fr", roles=[Role.ELECTED], maisons=[], invited_by=lead)
    assert Invitation.objects.count() == 1
    assert len(mail.outbox) == 1


def test_accepting_when_the_account_was_created_meanwhile_is_refused(client):
    invitation = InvitationFactory(email="deja@haute-marne.fr")
    open_link(client, invitation)
    UserFactory(email="deja@haute-marne.fr")
    response = client.post(ACCEPT_URL, {"password1": STRONG_PASSWORD, "password2": STRONG_PASSWORD})
    assert response.status_code == 410
    assert "Un compte existe déjà pour cette adresse." in response.content.decode()
    assert User.objects.filter(email="deja@haute-marne.fr").count() == 1


def _invitation_with_roles(email: str, *roles: Role) -> Invitation:
    invitation = InvitationFactory(email=email)
    invitation.roles.set(Group.objects.filter(name__in=[role.group_name for role in roles]))
    return invitation


@pytest.mark.parametrize("action", ["annuler", "renvoyer"])
def test_project_lead_cannot_cancel_or_resend_an_administrators_invitation(lead_client, action):
    invitation = _invitation_with_roles("admin.futur@haute-marne.fr", Role.ADMINISTRATOR, Role.PROJECT_LEAD)
    response = lead_client.post(f"/comptes/invitations/{invitation.pk}/{action}/")
    assert response.status_code == 403
    assert Invitation.objects.filter(pk=invitation.pk, token_hash=invitation.token_hash).exists()
    assert mail.outbox == []


@pytest.mark.parametrize("action", ["annuler", "renvoyer"])
def test_an_administrator_can_cancel_or_resend_an_administrators_invitation(client_for, action):
    invitation = _invitation_with_roles("admin.futur@haute-marne.fr", Role.ADMINISTRATOR)
    response = client_for(Role.ADMINISTRATOR).post(f"/comptes/invitations/{invitation.pk}/{action}/")
    assert response.status_code == 302
    assert not Invitation.objects.filter(pk=invitation.pk, token_hash=invitation.token_hash).exists()


def test_the_list_shows_the_project_lead_only_the_buttons_they_may_use(lead_client):
    agent = _invitation_with_roles("agent.futur@haute-marne.fr", Role.AGENT)
    admin = _invitation_with_roles("admin.futur@haute-marne.fr", Role.ADMINISTRATOR)
    html = lead_client.get("/comptes/invitations/").content.decode()
    assert f"/comptes/invitations/{agent.pk}/annuler/" in html
    assert f"/comptes/invitations/{agent.pk}/renvoyer/" in html
    assert f"/comptes/invitations/{admin.pk}/annuler/" not in html
    assert f"/comptes/invitations/{admin.pk}/renvoyer/" not in html
    assert "Administrateur·rice" in html  # The role's label, from the enumeration.


def test_a_resent_link_replaces_the_one_kept_in_the_session(client):
    invitation = InvitationFactory()
    open_link(client, invitation)
    assert client.get(ACCEPT_URL).status_code == 200
    # The invitation is resent: the session's copy (the old token's hash) no longer opens the form.
    invitation.set_new_token()
    invitation.save()
    assert client.get(ACCEPT_URL).status_code == 410


def test_the_form_without_an_opened_link_is_gone(client):
    response = client.get(ACCEPT_URL)
    assert response.status_code == 410
    assert "n’est plus valable" in response.content.decode()


def test_the_link_answers_get_only(client):
    invitation = InvitationFactory()
    token = invitation.set_new_token()
    invitation.save()
    response = client.post(f"/comptes/invitation/{token}/", {"password1": STRONG_PASSWORD})
    assert response.status_code == 405
    assert not User.objects.filter(email=invitation.email).exists()
