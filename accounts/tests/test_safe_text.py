"""Free text that feeds a message or a page title refuses control characters and bidirectional overrides."""

import pytest
from django.core.exceptions import ValidationError

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.tests.factories import UserFactory
from accueil.models import Motif, Visit
from events.models import Category, Occupancy
from maisons.models import Commune, Direction, ExceptionalClosure, Maison, Room
from partenaires.models import Partner, PartnerContact, Service, Theme

CONTROL_MESSAGE = "Ce texte contient un caractère de contrôle"
BIDI_MESSAGE = "Ce texte contient un caractère invisible de changement de sens d’écriture"

SINGLE_LINE_FIELDS = [
    (User, "first_name"),
    (User, "last_name"),
    (Invitation, "first_name"),
    (Invitation, "last_name"),
    (Commune, "name"),
    (Maison, "name"),
    (Maison, "address"),
    (ExceptionalClosure, "reason"),
    (Room, "name"),
    (Direction, "name"),
    (Direction, "acronym"),
    (Partner, "name"),
    (Partner, "acronym"),
    (Partner, "address"),
    (Partner, "logo_alt"),
    (Partner, "source"),
    (Service, "name"),
    (Service, "summary"),
    (Service, "fees_details"),
    (PartnerContact, "name"),
    (PartnerContact, "role"),
    (Theme, "label"),
    (Occupancy, "title"),
    (Category, "name"),
    (Motif, "label"),
]
MULTILINE_FIELDS = [
    (Maison, "description"),
    (Maison, "accessibility"),
    (Room, "description"),
    (Direction, "missions"),
    (Partner, "description"),
    (Service, "description"),
    (Service, "documents"),
    (PartnerContact, "notes"),
    (Occupancy, "description"),
    (Visit, "note"),
]


def _field_errors(model, field, value) -> list[str]:
    try:
        model(**{field: value}).full_clean()
    except ValidationError as error:
        return error.message_dict.get(field, [])
    return []


def _ids(fields):
    return [f"{model.__name__}.{field}" for model, field in fields]


@pytest.mark.parametrize(("model", "field"), SINGLE_LINE_FIELDS, ids=_ids(SINGLE_LINE_FIELDS))
def test_single_line_fields_refuse_line_breaks_and_bidi_overrides(model, field):
    assert any(CONTROL_MESSAGE in message for message in _field_errors(model, field, "Jean\nDupont"))
    assert any(BIDI_MESSAGE in message for message in _field_errors(model, field, "Dupont\u202eJean"))
    assert _field_errors(model, field, "Jean-Dupont d’Écot") == []


@pytest.mark.parametrize(("model", "field"), MULTILINE_FIELDS, ids=_ids(MULTILINE_FIELDS))
def test_multiline_fields_take_line_breaks_but_refuse_other_controls(model, field):
    assert _field_errors(model, field, "Première ligne.\nSeconde ligne.") == []
    assert any(BIDI_MESSAGE in message for message in _field_errors(model, field, "Texte\u202eretourné"))
    assert any("caractère de contrôle" in message for message in _field_errors(model, field, "Texte\x00nul"))


@pytest.mark.parametrize(("name", "message"), [("Jean\nDupont", CONTROL_MESSAGE), ("Dupont\u202eJean", BIDI_MESSAGE)])
def test_the_invitation_form_refuses_them_with_a_french_message(client, user_with_role, name, message):
    client.force_login(user_with_role(Role.PROJECT_LEAD))
    response = client.post(
        "/comptes/invitations/nouvelle/",
        {"email": "nina.petit@haute-marne.fr", "first_name": name, "last_name": name, "roles": ["elu"]},
    )
    assert response.status_code == 200
    assert response.content.decode().count(message) == 2  # Both name fields.
    assert not Invitation.objects.exists()


def test_the_admin_refuses_them_with_a_french_message(client_for):
    client = client_for(Role.ADMINISTRATOR)
    user = UserFactory(email="camille@haute-marne.fr", first_name="Camille", last_name="Bertrand")
    response = client.post(
        f"/admin/accounts/user/{user.pk}/change/",
        {
            "email": user.email,
            "first_name": "Camille\u202e",
            "last_name": "Bertrand\r\nBcc: x@y.fr",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert BIDI_MESSAGE in html and CONTROL_MESSAGE in html
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Camille", "Bertrand")
