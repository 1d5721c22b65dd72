"""Passwords: Django's validators, length first, and no name or e-mail local part dressed up with digits."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.tests.factories import DEFAULT_PASSWORD, InvitationFactory, UserFactory
from accounts.validators import NotBasedOnIdentityValidator

MESSAGE = "reprend votre nom ou votre adresse électronique"


def _person(**kwargs):
    defaults = {"email": "jean.dupont@haute-marne.fr", "first_name": "Jean", "last_name": "Dupont"}
    return UserFactory.build(**{**defaults, **kwargs})


@pytest.mark.parametrize(
    "password",
    [
        "jean.dupont2024!",
        "JEAN.DUPONT2024!",
        "Dupont-Jean-52-52",
        "jeanjean!!2026",
        "dupont_1234567890",
        "  Jean Dupont 1970  ",
    ],
)
def test_a_name_or_local_part_with_digits_and_punctuation_is_refused(password):
    with pytest.raises(ValidationError, match=MESSAGE):
        NotBasedOnIdentityValidator().validate(password, _person())


def test_initials_and_accents_do_not_hide_the_name():
    validator = NotBasedOnIdentityValidator()
    with pytest.raises(ValidationError):
        validator.validate("jdupont-2024!!", _person(email="j.dupont@haute-marne.fr", first_name="", last_name=""))
    with pytest.raises(ValidationError):
        validator.validate(
            "Hélène.Noël-1999", _person(email="h.noel@haute-marne.fr", first_name="Helene", last_name="Noel")
        )


@pytest.mark.parametrize("password", ["Jean-aime-Langres-2024", "Dupont-Saint-Dizier-52", "Langres-Saint-Dizier-2026"])
def test_a_password_with_other_words_is_accepted(password):
    NotBasedOnIdentityValidator().validate(password, _person())


def _accept_invitation(client, password):
    invitation = InvitationFactory(email="jean.dupont@haute-marne.fr", first_name="Jean", last_name="Dupont")
    token = invitation.set_new_token()
    invitation.save()
    client.get(f"/comptes/invitation/{token}/")
    return client.post("/comptes/invitation/", {"password1": password, "password2": password})


def test_invitation_acceptance_refuses_the_local_part_with_digits(client):
    response = _accept_invitation(client, "jean.dupont2024!")
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


def test_the_length_rule_comes_first(client):
    html = _accept_invitation(client, "dupont1").content.decode()
    assert "trop court" in html and MESSAGE in html
    assert html.index("trop court") < html.index(MESSAGE)


def test_password_change_refuses_the_local_part_with_digits(client):
    user = UserFactory(email="jean.dupont@haute-marne.fr", first_name="Jean", last_name="Dupont")
    client.force_login(user)
    response = client.post(
        "/comptes/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": "Jean.Dupont2024!", "password2": "Jean.Dupont2024!"},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)


def test_password_reset_refuses_the_local_part_with_digits(client):
    user = UserFactory(email="jean.dupont@haute-marne.fr", first_name="", last_name="")
    client.post("/comptes/password/reset/", {"email": "jean.dupont@haute-marne.fr"})
    link = re.search(r"http://testserver(/comptes/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "jean.dupont2024!", "password2": "jean.dupont2024!"})
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
