"""Registering for an event: seats, waiting list, cancellation by link, closing, retention, the organiser's list."""

import csv
import datetime
import io
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone

from accounts.enums import Role
from config.celery import app as celery_app
from core import retention
from events.enums import EventStatus
from events.registrations import services
from events.registrations.models import Registration, RegistrationStatus
from events.tests.agenda_support import public_event


@pytest.fixture
def eager_tasks():
    """Tasks run where they are sent (unit tests; the integration test uses a real worker)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def workshop(maison, **kwargs):
    start = timezone.now() + datetime.timedelta(days=7)
    return public_event(maison, start, registration=True, **{"capacity": 2, "waiting_list": True, **kwargs})


def post(client, occurrence, name="Camille Martin", email="camille@example.fr", consent="on"):
    return client.post(f"/agenda/{occurrence.slug}/inscription/", {"name": name, "email": email, "consent": consent})


def test_seats_then_the_waiting_list(client, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres)
    first = post(client, occurrence, email="a@example.fr")
    assert first.status_code == 302 and first["Location"].endswith("?inscription=confirmed")
    post(client, occurrence, email="b@example.fr")
    last = post(client, occurrence, email="c@example.fr")
    assert last["Location"].endswith("?inscription=waiting")
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"a@example.fr": "confirmed", "b@example.fr": "confirmed", "c@example.fr": "waiting"}
    assert [message.subject for message in mail.outbox] == [
        f"[Maisons du Département] Inscription confirmée : {occurrence.title}",
        f"[Maisons du Département] Inscription confirmée : {occurrence.title}",
        f"[Maisons du Département] Liste d’attente : {occurrence.title}",
    ]
    confirmation = mail.outbox[0]
    assert confirmation.attachments[0][0] == "evenement.ics"
    assert "/agenda/annulation/" in confirmation.body
    page = client.get(f"/agenda/{occurrence.slug}/inscription/?inscription=waiting").content.decode()
    assert "liste d’attente" in page


def test_a_full_event_without_waiting_list_refuses(client, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres, capacity=1, waiting_list=False)
    post(client, occurrence, email="a@example.fr")
    response = post(client, occurrence, email="b@example.fr")
    assert response.status_code == 200
    assert "Cet événement est complet." in response.content.decode()
    assert Registration.objects.count() == 1


def test_the_same_address_registers_once(client, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres)
    post(client, occurrence, email="a@example.fr")
    response = post(client, occurrence, email="A@Example.fr")
    assert "Cette adresse est déjà inscrite" in response.content.decode()
    assert Registration.objects.count() == 1


def test_consent_is_required_and_recorded(client, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres)
    response = post(client, occurrence, consent="")
    assert "Cochez cette case" in response.content.decode()
    post(client, occurrence)
    assert "effacées 30 jours après l’événement" in Registration.objects.get().consent


def test_registration_closes(client, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres, closes_at=timezone.now() - datetime.timedelta(hours=1))
    response = post(client, occurrence)
    assert "Les inscriptions à cet événement sont closes." in response.content.decode()
    assert not Registration.objects.exists()
    cancelled = workshop(maison_langres, status=EventStatus.CANCELLED, reason="Salle inondée")
    assert "closes" in client.get(f"/agenda/{cancelled.slug}/inscription/").content.decode()


def test_an_event_without_registration_has_no_form(client, maison_langres):
    occurrence = public_event(maison_langres, timezone.now() + datetime.timedelta(days=2))
    assert client.get(f"/agenda/{occurrence.slug}/inscription/").status_code == 404


def test_cancelling_by_link_promotes_the_first_waiting(client, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres, capacity=1)
    for email in ("a@example.fr", "b@example.fr", "c@example.fr"):
        post(client, occurrence, email=email)
    link = re.search(r"http://testserver(/agenda/annulation/\S+/)", mail.outbox[0].body).group(1)
    mail.outbox.clear()
    page = client.get(link)
    assert "Annuler mon inscription" in page.content.decode()
    assert Registration.objects.get(email="a@example.fr").status == "confirmed"  # A GET changes nothing.
    done = client.post(link)
    assert "Votre inscription est annulée" in done.content.decode()
    statuses = dict(Registration.objects.values_list("email", "status"))
    assert statuses == {"a@example.fr": "cancelled", "b@example.fr": "confirmed", "c@example.fr": "waiting"}
    assert [message.to for message in mail.outbox] == [["b@example.fr"]]
    assert "Une place s’est libérée" in mail.outbox[0].subject
    assert "déjà annulée" in client.post(link).content.decode()  # Twice: nothing more happens.
    assert Registration.objects.get(email="c@example.fr").status == "waiting"


def test_a_forged_or_altered_link_is_unknown(client, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres)
    post(client, occurrence)
    registration = Registration.objects.get()
    token = registration.cancel_token
    assert client.get(f"/agenda/annulation/{token[:-2]}xx/").status_code == 404
    registration.nonce = "autre"
    registration.save()
    assert client.get(f"/agenda/annulation/{token}/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overbook(maison_langres):
    occurrence = workshop(maison_langres, capacity=3, waiting_list=True)
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True

    def attempt(n):
        try:
            return services.register(occupancy=occurrence, name=f"Personne {n}", email=f"p{n}@example.fr", consent="")
        finally:
            connections.close_all()

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            registrations = list(pool.map(attempt, range(12)))
    finally:
        celery_app.conf.task_always_eager = previous
    assert sum(r.status == RegistrationStatus.CONFIRMED for r in registrations) == 3
    assert Registration.objects.filter(status=RegistrationStatus.CONFIRMED).count() == 3
    assert Registration.objects.filter(status=RegistrationStatus.WAITING).count() == 9


def test_registrants_are_deleted_after_the_delay(maison_langres, settings):
    settings.EVENT_REGISTRATION_RETENTION_DAYS = 30
    old = public_event(maison_langres, timezone.now() - datetime.timedelta(days=32), registration=True)
    recent = public_event(maison_langres, timezone.now() - datetime.timedelta(days=20), registration=True)
    Registration.objects.create(occupancy=old, name="Ancienne", email="old@example.fr")
    Registration.objects.create(occupancy=recent, name="Récente", email="new@example.fr")
    assert retention.purge("event-registrations") == 1
    assert list(Registration.objects.values_list("name", flat=True)) == ["Récente"]


def test_the_organiser_sees_and_exports_the_list(client_for, maison_langres, eager_tasks):
    occurrence = workshop(maison_langres, capacity=1)
    Registration.objects.create(occupancy=occurrence, name='=HYPERLINK("x")', email="a@example.fr")
    Registration.objects.create(occupancy=occurrence, name="Bruno", email="b@example.fr", status="waiting")
    client = client_for(Role.PROJECT_LEAD)
    listing = client.get("/gestion/agenda/inscriptions/").content.decode()
    assert occurrence.title in listing
    detail = client.get(f"/gestion/agenda/inscriptions/{occurrence.pk}/").content.decode()
    assert "Bruno" in detail and "Liste d’attente (1)" in detail
    response = client.get(f"/gestion/agenda/inscriptions/{occurrence.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Nom et prénom", "Adresse électronique", "Statut", "Inscrite le"]
    assert rows[1][0] == '\'=HYPERLINK("x")'  # Formula-safe (core/spreadsheets.py).
    assert rows[2][:3] == ["Bruno", "b@example.fr", "en liste d’attente"]
    assert client_for(Role.AGENT).get(f"/gestion/agenda/inscriptions/{occurrence.pk}/export.csv").status_code == 403


@pytest.mark.parametrize("count", [3, 40])
def test_the_organiser_list_runs_bounded_queries(client_for, maison_langres, count, django_assert_max_num_queries):
    for _ in range(count):
        workshop(maison_langres)
    client = client_for(Role.PROJECT_LEAD)
    with django_assert_max_num_queries(12):
        assert client.get("/gestion/agenda/inscriptions/").status_code == 200


def test_the_personal_data_of_a_registrant_with_an_account(maison_langres, user_with_role):
    from events.registrations import personal_data

    person = user_with_role(Role.ELECTED, email="elue@haute-marne.fr")
    Registration.objects.create(occupancy=workshop(maison_langres), name="Élue", email="elue@haute-marne.fr")
    assert personal_data.export_registrations(person)[0]["courriel"] == "elue@haute-marne.fr"
    assert personal_data.erase_registrations(person) == {"event_registrations_deleted": 1}
