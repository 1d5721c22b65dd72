"""Signing in with the e-mail address, password reset by e-mail, roles."""

import re

from django.core import mail

from accounts.enums import Role
from accounts.models import User
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory


def test_sign_in_with_email_case_insensitively(client):
    UserFactory(email="camille.bertrand@haute-marne.fr", agent=True)
    response = client.post(
        "/comptes/login/", {"login": "Camille.Bertrand@Haute-Marne.fr", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/comptes/"
    assert "Mon espace" in client.get("/comptes/").content.decode()


def test_wrong_password_gives_a_french_error(client):
    UserFactory(email="camille.bertrand@haute-marne.fr")
    response = client.post("/comptes/login/", {"login": "camille.bertrand@haute-marne.fr", "password": "faux"})
    assert response.status_code == 200
    assert "L’adresse e-mail ou le mot de passe sont incorrects." in response.content.decode()


def test_inactive_account_cannot_sign_in(client):
    UserFactory(email="parti@haute-marne.fr", is_active=False)
    response = client.post("/comptes/login/", {"login": "parti@haute-marne.fr", "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 302)


def test_password_reset_by_email(client):
    user = UserFactory(email="elu.collin@haute-marne.fr")
    response = client.post("/comptes/password/reset/", {"email": "elu.collin@haute-marne.fr"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/comptes/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "Nouveau-mot-de-passe-52", "password2": "Nouveau-mot-de-passe-52"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Nouveau-mot-de-passe-52")


def test_sign_out_is_a_post(client):
    client.force_login(UserFactory())
    response = client.post("/comptes/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_emails_are_stored_lower_case_and_unique():
    user = User.objects.create_user(email="Jean.Dupont@Haute-Marne.FR", password=DEFAULT_PASSWORD)
    assert user.email == "jean.dupont@haute-marne.fr"


def test_a_person_can_hold_several_roles(maison_langres):
    user = UserFactory(roles=[Role.AGENT, Role.ELECTED], maisons=[maison_langres])
    assert user.roles == {Role.AGENT, Role.ELECTED}
    assert user.has_role(Role.ELECTED) and not user.has_role(Role.PROJECT_LEAD)
