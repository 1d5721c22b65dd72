"""A person downloads their own data; an administrator erases a person's data on request, with a trace."""

import datetime
import json

import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from auditlog.models import LogEntry
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Invitation, User
from accounts.tests.factories import InvitationFactory
from accueil.models import Motif, Visit
from accueil.tests.factories import VisitFactory
from audit.enums import SecurityEventKind
from audit.models import ErasureRecord, SecurityEvent
from audit.services import person_erase
from core.personal_data import ERASED_EMAIL_DOMAIN
from events.models import Occupancy
from events.tests.factories import OccupancyFactory


@pytest.fixture
def person(user_with_role, maison_langres):
    """An agent and elected official with something in every app: the subject of the export and erasure tests."""
    user = user_with_role(Role.AGENT, email="camille.durand@haute-marne.fr", first_name="Camille", last_name="Durand")
    user.groups.add(*user_with_role(Role.ELECTED).groups.all())
    motif = Motif.objects.create(label="Transport scolaire")
    VisitFactory(maison=maison_langres, motifs=[motif], agent=user)
    VisitFactory(maison=maison_langres, motifs=[motif], agent=user)
    OccupancyFactory(maison=maison_langres, holder=user, title="Permanence de l’élue")
    InvitationFactory(email="collegue@haute-marne.fr", invited_by=user)
    SecurityEvent.objects.create(
        kind=SecurityEventKind.LOGIN, user=user, identifier=user.email, ip_address="192.0.2.7", user_agent="Firefox"
    )
    SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN_FAILED, identifier="Camille.Durand@haute-marne.fr")
    UserSession.objects.create(user=user, ip="192.0.2.7", session_key="session-de-camille", user_agent="Firefox")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "secret"})
    return user


# Download ----------------------------------------------------------------------------------------------------------


def test_a_person_downloads_their_own_data(client, person, user_with_role, maison_langres):
    OccupancyFactory(maison=maison_langres, holder=user_with_role(Role.ELECTED), title="Réunion d’un autre élu")
    client.force_login(person)
    page = client.get("/comptes/mes-donnees/")
    assert page.status_code == 200
    assert "Télécharger mes données" in page.content.decode()

    response = client.post("/comptes/mes-donnees/", REMOTE_ADDR="192.0.2.8")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    data = json.loads(response.content)

    profile = data["compte"]["données"]
    assert profile["adresse_électronique"] == "camille.durand@haute-marne.fr"
    assert profile["nom"] == "Durand"
    assert profile["rôles"] == sorted([Role.AGENT.label, Role.ELECTED.label])
    assert profile["maisons_de_rattachement"] == ["Maison du Département de Langres"]
    bookings = data["reservations"]["données"]
    assert [booking["intitulé"] for booking in bookings] == ["Permanence de l’élue"]  # Not someone else's.
    assert data["visites"]["données"] == {"visites_enregistrées_par_vous": 2, "mises_en_relation_faites_par_vous": 0}
    assert len(data["invitations"]["données"]["envoyées"]) == 1
    assert "collegue@haute-marne.fr" not in response.content.decode()  # Another person's address.
    journal = data["journal_de_securite"]["données"]
    assert {event["événement"] for event in journal} == {"Connexion", "Échec de connexion"}
    assert "192.0.2.7" in [event["adresse_ip"] for event in journal]
    sessions = data["sessions"]["données"]
    assert [session["adresse_ip"] for session in sessions["sessions_ouvertes"]] == ["192.0.2.7"]
    assert sessions["double_authentification"][0]["type"]
    assert "secret" not in response.content.decode()  # Never the MFA secret.

    exported = SecurityEvent.objects.get(kind=SecurityEventKind.DATA_EXPORTED)
    assert exported.user == person


@pytest.mark.parametrize("role", [None, *Role])
def test_every_signed_in_person_may_download(client_for, role):
    client = client_for(role)
    assert client.get("/comptes/mes-donnees/").status_code == 200
    assert client.post("/comptes/mes-donnees/").status_code == 200


def test_the_public_is_sent_to_sign_in(client):
    response = client.post("/comptes/mes-donnees/")
    assert response.status_code == 302 and response["Location"].startswith("/comptes/login/")
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.DATA_EXPORTED).exists()


# Erasure -----------------------------------------------------------------------------------------------------------


@pytest.fixture
def administrator(user_with_role):
    return user_with_role(Role.ADMINISTRATOR, email="admin.rgpd@haute-marne.fr")


def test_erasure_anonymises_the_account_and_keeps_a_trace_without_personal_data(client, person, administrator):
    Invitation.objects.create(
        email=person.email, first_name="Camille", token_hash="x" * 64, expires_at=timezone.now(), user=person
    )
    client.force_login(person)
    booking = Occupancy.objects.get(holder=person)
    events_about_person = SecurityEvent.objects.count()  # Sign-ins, and a failure typed with the address.
    record = person_erase(
        user=person,
        handled_by=administrator,
        requested_on=datetime.date(2026, 11, 20),
        request_reference="Courrier 42",
    )

    person.refresh_from_db()
    assert person.email == f"compte-{person.pk}@{ERASED_EMAIL_DOMAIN}"
    assert (person.first_name, person.last_name) == ("", "")
    assert not person.has_usable_password()
    assert not person.is_active and not person.is_staff and not person.is_superuser
    assert not person.groups.exists() and not person.maisons.exists()
    assert client.get("/comptes/").status_code == 302  # Signed out.
    assert not UserSession.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not Visit.objects.filter(agent=person).exists() and Visit.objects.count() == 2
    booking.refresh_from_db()
    assert booking.holder == person  # Kept, pointing to an account without a name.
    assert not Invitation.objects.filter(email__iexact="camille.durand@haute-marne.fr").exists()
    assert Invitation.objects.filter(invited_by=person).count() == 1  # Sent to someone else: theirs.
    assert list(SecurityEvent.objects.values_list("kind", flat=True)) == [SecurityEventKind.ACCOUNT_ERASED]

    # Nothing left anywhere in the audit trails about who the person was.
    for entry in LogEntry.objects.all():
        text = json.dumps(
            [entry.changes, entry.changes_text, entry.object_repr, entry.serialized_data, entry.actor_email]
        )
        assert "Durand" not in text and "camille" not in text.lower(), text
    assert not AdminLogEntry.objects.filter(object_repr__icontains="Durand").exists()

    assert record.subject_reference == str(person.pk)
    assert record.handled_by == administrator and record.request_reference == "Courrier 42"
    assert record.summary["visits"] == {"visits_detached": 2, "referrals_detached": 0}
    assert record.summary["bookings"]["bookings_kept_without_name"] == 1
    assert record.summary["security_journal"]["security_events_deleted"] == events_about_person
    assert record.summary["account"]["mfa_authenticators_deleted"] == 1
    assert "Durand" not in json.dumps(record.summary) and "camille" not in json.dumps(record.summary)
    event = SecurityEvent.objects.get(kind=SecurityEventKind.ACCOUNT_ERASED)
    assert event.actor == administrator and event.details == {"erasure_record": record.pk}


def test_an_administrator_cannot_erase_themselves(administrator):
    with pytest.raises(ValidationError):
        person_erase(user=administrator, handled_by=administrator, requested_on=timezone.localdate())
    assert administrator.email == "admin.rgpd@haute-marne.fr"


def test_an_administrator_erases_a_person_from_the_admin(client, person, administrator):
    client.force_login(administrator)
    form = client.get("/admin/audit/erasurerecord/add/")
    assert form.status_code == 200
    assert "compte à effacer" in form.content.decode()
    response = client.post(
        "/admin/audit/erasurerecord/add/",
        {"account": person.pk, "requested_on": "20/11/2026", "request_reference": "Ticket 1234", "confirm": "on"},
    )
    assert response.status_code == 302
    record = ErasureRecord.objects.get()
    assert record.subject_reference == str(person.pk) and record.handled_by == administrator
    assert User.objects.get(pk=person.pk).email.endswith(ERASED_EMAIL_DOMAIN)
    # The record is there to read, never to change or delete.
    detail = client.get(f"/admin/audit/erasurerecord/{record.pk}/change/")
    assert detail.status_code == 200 and "Ticket 1234" in detail.content.decode()
    assert client.post(f"/admin/audit/erasurerecord/{record.pk}/delete/", {"post": "yes"}).status_code == 403
    # An erased account is no longer offered.
    assert f'value="{person.pk}"' not in client.get("/admin/audit/erasurerecord/add/").content.decode()


def test_the_admin_refuses_self_erasure_future_dates_and_unconfirmed_requests(client, administrator, person):
    client.force_login(administrator)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    for data in (
        {"account": administrator.pk, "requested_on": "20/11/2026", "confirm": "on"},
        {"account": person.pk, "requested_on": tomorrow, "confirm": "on"},
        {"account": person.pk, "requested_on": "20/11/2026"},  # Not confirmed.
    ):
        response = client.post("/admin/audit/erasurerecord/add/", data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors
    assert not ErasureRecord.objects.exists()
    assert User.objects.get(pk=person.pk).email == "camille.durand@haute-marne.fr"


def test_only_administrators_can_erase(client, user_with_role, person):
    client.force_login(user_with_role(Role.PROJECT_LEAD, is_staff=True))
    response = client.post(
        "/admin/audit/erasurerecord/add/", {"account": person.pk, "requested_on": "20/11/2026", "confirm": "on"}
    )
    assert response.status_code in (302, 403)
    assert not ErasureRecord.objects.exists()
    assert User.objects.get(pk=person.pk).is_active
