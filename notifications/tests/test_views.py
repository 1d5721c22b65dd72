"""The project lead's rules and texts with a preview on a real case, the list of messages and its « send again »,
each person's preferences, and the refusal link of an address without an account."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import Role
from events.notifications import REGISTRATION_REMINDER, RESERVATION_CHANGE, RESERVATION_REMINDER
from notifications.mail import opt_out_token
from notifications.models import Notification, OptOut, Preference, Rule, State
from notifications.timing import Timing

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client, user_with_role):
    client.force_login(user_with_role(Role.PROJECT_LEAD))
    return client


def test_the_rules_page_lists_every_message_with_its_recipients_and_lead_times(lead_client):
    html = lead_client.get("/gestion/rappels/").content.decode()
    assert "Réservation : rappel" in html and "la veille à 17 h 00, 2 heures avant" in html
    assert "Programme de la semaine" in html and "le lundi à 7 h 30" in html


def test_the_preview_renders_the_edited_text_on_a_real_booking_without_saving(lead_client, book, official):
    book(days=3)
    data = {
        "enabled": "on",
        "timings": "2 jours avant à 9:00\n3 heures avant",
        "subject": "N’oubliez pas {{ room.name }}",
        "body": "Bonjour,\nvotre salle {{ room.name }} vous attend {{ when }}.",
        "action": "preview",
    }
    html = lead_client.post(f"/gestion/rappels/{RESERVATION_REMINDER}/", data).content.decode()
    assert "[Maisons du Département] N’oubliez pas Salle Diderot" in html
    assert "votre salle Salle Diderot vous attend le " in html and official.email in html
    assert not Rule.objects.exists()  # A preview saves nothing.

    response = lead_client.post(f"/gestion/rappels/{RESERVATION_REMINDER}/", data | {"action": "save"})
    assert response.status_code == 302
    rule = Rule.objects.get(kind=RESERVATION_REMINDER)
    assert [Timing.from_json(item) for item in rule.timings] == [
        Timing(days=2, at=datetime.time(9, 0)),
        Timing(minutes=180),
    ]
    # The waiting reminders follow the new lead times at once.
    waiting = Notification.objects.filter(kind=RESERVATION_REMINDER, state=State.PENDING)
    assert sorted(timezone.localtime(row.due_at).hour for row in waiting) == sorted(
        [9, timezone.localtime(waiting.order_by("-due_at")[0].due_at).hour]
    )
    assert waiting.count() == 2


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("body", "Bonjour {% if %}", "Le texte ne peut pas être composé"),
        ("timings", "la semaine d’avant", "n’est pas un délai lisible"),
        ("timings", "", "Indiquez au moins un délai."),
    ],
)
def test_a_text_or_lead_time_that_cannot_work_is_refused_in_french(lead_client, field, value, message):
    data = {"enabled": "on", "timings": "1 jour avant", "subject": "", "body": "", "action": "save"}
    html = lead_client.post(f"/gestion/rappels/{RESERVATION_REMINDER}/", data | {field: value}).content.decode()
    assert message in html and not Rule.objects.exists()


def test_a_preview_without_a_real_case_says_so(lead_client):
    data = {"enabled": "on", "timings": "1 jour avant", "subject": "", "body": "", "action": "preview"}
    html = lead_client.post(f"/gestion/rappels/{RESERVATION_REMINDER}/", data).content.decode()
    assert "Aucun cas réel n’existe encore pour ce message" in html


def test_an_unknown_kind_is_not_found(lead_client):
    assert lead_client.get("/gestion/rappels/events.inconnu/").status_code == 404


def test_the_messages_list_filters_and_sends_a_failed_one_again(lead_client, book, eager):
    book(days=3)
    row = Notification.objects.get(kind=RESERVATION_CHANGE)
    Notification.objects.filter(pk=row.pk).update(state=State.FAILED, last_error="SMTPServerDisconnected: fermé")
    mail.outbox.clear()
    html = lead_client.get("/gestion/rappels/envois/?etat=failed").content.decode()
    assert "SMTPServerDisconnected" in html and "Envoyer à nouveau" in html
    assert html.count("<tr>") == 2  # The header and the failed message: the waiting reminders are filtered out.
    response = lead_client.post(f"/gestion/rappels/envois/{row.pk}/renvoyer/")
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == State.SENT and len(mail.outbox) == 1


def test_the_messages_list_costs_a_bounded_number_of_queries(lead_client, book, django_assert_max_num_queries):
    for days in (2, 3, 4):
        book(days=days, hour=9 + days)
    with django_assert_max_num_queries(12):
        lead_client.get("/gestion/rappels/envois/")


def test_an_official_chooses_their_reminders(client, official, book):
    client.force_login(official)
    html = client.get("/comptes/notifications/").content.decode()
    assert "Recevoir « Réservation : rappel »" in html and "Programme de la semaine" not in html
    form = {"enabled_0": "on", "timings_0": "3 heures avant", "enabled_1": ""}
    assert client.post("/comptes/notifications/", form).status_code == 302
    preferences = {p.kind: (p.enabled, p.timings) for p in Preference.objects.filter(user=official)}
    assert preferences[RESERVATION_REMINDER] == (True, [{"days": 0, "minutes": 180}])
    assert preferences["events.event_reminder"] == (False, [])
    booking = book(days=3)
    (row,) = Notification.objects.filter(kind=RESERVATION_REMINDER, state=State.PENDING)
    assert row.due_at == booking.period.lower - datetime.timedelta(hours=3)


def test_an_address_refuses_a_kind_through_its_signed_link(client, maison_langres):
    token = opt_out_token("Camille@Example.fr", REGISTRATION_REMINDER)
    html = client.get(f"/comptes/desabonnement/{token}/").content.decode()
    assert "Ne plus recevoir « Inscription : rappel la veille »" in html and not OptOut.objects.exists()
    html = client.post(f"/comptes/desabonnement/{token}/").content.decode()
    assert "ne recevra plus" in html
    assert OptOut.objects.filter(email="camille@example.fr", kind=REGISTRATION_REMINDER).count() == 1
    client.post(f"/comptes/desabonnement/{token}/")  # Twice: still one.
    assert OptOut.objects.count() == 1
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/comptes/desabonnement/{tampered}/").status_code == 404


def test_the_shipped_text_is_shown_to_be_edited_and_kept_unchanged_it_follows_the_portals(lead_client):
    html = lead_client.get(f"/gestion/rappels/{RESERVATION_REMINDER}/").content.decode()
    assert "Pour rappel, vous avez réservé une salle" in html  # The shipped text, in the field.
    from notifications.kinds import registry
    from notifications.mail import default_text

    kind = registry[RESERVATION_REMINDER]
    data = {
        "enabled": "on",
        "timings": "1 jour avant à 17:00",
        "subject": default_text(kind, "subject"),
        "body": default_text(kind, "body"),
        "action": "save",
    }
    assert lead_client.post(f"/gestion/rappels/{RESERVATION_REMINDER}/", data).status_code == 302
    rule = Rule.objects.get(kind=RESERVATION_REMINDER)
    assert (rule.subject, rule.body) == ("", "")


def test_the_list_shows_past_messages_latest_first_and_upcoming_ones_soonest_first(lead_client, book, eager):
    book(days=3)
    past = lead_client.get("/gestion/rappels/envois/").content.decode()
    assert "Envois passés" in past and "Réservation : confirmation et changements" in past
    assert past.count("en attente</td>") == 0  # The reminders planned ahead are not in the past list.
    upcoming = lead_client.get("/gestion/rappels/envois/?etat=pending").content.decode()
    assert "Envois à venir" in upcoming and upcoming.count("Réservation : rappel</td>") == 2
