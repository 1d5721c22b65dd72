"""The table of issue 10, end to end: a real Celery worker on the Redis broker, a real SMTP server (aiosmtpd)
capturing what arrives. Time is moved by asking the dispatcher what is due at a later moment (`dispatch_due(now=…)`),
never by waiting for the clock; the tests wait for the worker's e-mails, not for a delay."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from accounts.enums import Role
from events import services as calendar
from events.notifications import EVENT_REMINDER, REGISTRATION_REMINDER, RESERVATION_REMINDER, WEEKLY_DIGEST
from events.registrations import services as registrations
from events.tests.agenda_support import public_event, soon
from maisons.models import Direction
from notifications.models import Notification, State
from notifications.services import dispatch_due
from partenaires.tests.factories import PartnerFactory
from tests.support import wait_until

pytestmark = pytest.mark.django_db(transaction=True)


def received(inbox, count):
    assert wait_until(lambda: len(inbox.messages) >= count), f"{len(inbox.messages)} message(s) of {count}"
    return [(recipients[0], message) for recipients, message in inbox.messages]


def text_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def ics_of(message):
    attachment = next(part for part in message.iter_attachments() if part.get_filename().endswith(".ics"))
    content = attachment.get_content()
    return icalendar.Calendar.from_ical(content if isinstance(content, bytes) else content.encode())


def due_times(kind, target):
    return sorted(
        Notification.objects.filter(kind=kind, object_id=target.pk, state=State.PENDING).values_list(
            "due_at", flat=True
        )
    )


def test_a_booking_is_confirmed_then_reminded_twice_each_once(celery_worker_thread, smtp_inbox, book, official):
    booking = book(days=3)
    ((to, confirmation),) = received(smtp_inbox, 1)
    assert to == official.email and "Réservation confirmée" in confirmation["Subject"]
    assert str(ics_of(confirmation).walk("VEVENT")[0]["UID"]) == booking.uid
    first, second = due_times(RESERVATION_REMINDER, booking)
    for count, moment in enumerate((first, second), start=1):
        assert dispatch_due(now=moment + datetime.timedelta(minutes=1)) == {"queued": 1, "dropped": 0}
        received(smtp_inbox, 1 + count)
        assert wait_until(
            lambda n=count: Notification.objects.filter(kind=RESERVATION_REMINDER, state=State.SENT).count() == n
        )
    messages = received(smtp_inbox, 3)
    assert [m["Subject"].strip().split(" : ")[0] for _, m in messages[1:]] == ["[Maisons du Département] Rappel"] * 2
    assert dispatch_due(now=second + datetime.timedelta(minutes=2)) == {"queued": 0, "dropped": 0}
    assert wait_until(lambda: Notification.objects.filter(state=State.SENT).count() == 3)
    assert len(smtp_inbox.messages) == 3  # Nothing more arrives: the worker's queue is empty once these are read.


def test_a_moved_booking_is_reminded_at_its_new_time_and_never_at_the_old(
    celery_worker_thread, smtp_inbox, book, official, committed
):
    booking = book(days=3)
    old = due_times(RESERVATION_REMINDER, booking)
    with committed():
        calendar.move(
            booking,
            start=booking.period.lower + datetime.timedelta(days=2),
            end=booking.period.upper + datetime.timedelta(days=2),
        )
    received(smtp_inbox, 2)  # The confirmation, then the notice of the change (with its .ics, SEQUENCE 1).
    assert int(ics_of(smtp_inbox.messages[1][1]).walk("VEVENT")[0]["SEQUENCE"]) == 1
    assert dispatch_due(now=old[1] + datetime.timedelta(minutes=1)) == {"queued": 0, "dropped": 0}
    new = due_times(RESERVATION_REMINDER, booking)
    assert dispatch_due(now=new[0] + datetime.timedelta(minutes=1)) == {"queued": 1, "dropped": 0}
    (_, reminder) = received(smtp_inbox, 3)[2]
    assert "Rappel" in reminder["Subject"] and calendar.slot_text(
        booking.period.lower, booking.period.upper
    ) in text_of(reminder)


def test_an_events_people_are_reminded_and_told_of_its_cancellation_and_not_reminded_after(
    celery_worker_thread, smtp_inbox, maison_langres, user_with_role, committed
):
    official = user_with_role(Role.ELECTED, email="elu@example.fr")
    direction = Direction.objects.create(name="Direction des routes", slug="routes", mailbox="routes@example.fr")
    partner = PartnerFactory(email="caf@example.fr")
    # Within the planning pass's window (the longest lead time and a day), its first reminder still ahead.
    start = (timezone.now() + datetime.timedelta(days=7, hours=12)).replace(second=0, microsecond=0)
    occurrence = public_event(maison_langres, start)
    event = occurrence.event
    event.officials.add(official)
    event.directions.add(direction)
    event.partner = partner
    event.save()
    from events.notifications import plan_window

    plan_window()  # The quarter-hourly pass finds the people added to the event.
    due = due_times(EVENT_REMINDER, occurrence)
    assert len(due) == 6  # 7 days and 1 day before, three recipients.
    dispatch_due(now=due[0] + datetime.timedelta(minutes=1))
    seven_days = received(smtp_inbox, 3)
    assert sorted(to for to, _ in seven_days) == ["caf@example.fr", "elu@example.fr", "routes@example.fr"]
    assert all(occurrence.title in message["Subject"] for _, message in seven_days)
    smtp_inbox.messages.clear()
    with committed():
        calendar.cancel(occurrence, reason="Intervenant malade")
    cancellations = received(smtp_inbox, 3)
    assert all("Annulation" in message["Subject"] for _, message in cancellations)
    (vevent,) = ics_of(cancellations[0][1]).walk("VEVENT")
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1
    assert "Intervenant malade" in text_of(cancellations[0][1])
    assert dispatch_due(now=due[-1] + datetime.timedelta(minutes=1)) == {"queued": 0, "dropped": 0}
    assert len(smtp_inbox.messages) == 3


def test_a_registrant_is_confirmed_reminded_with_the_cancellation_link_and_told_of_a_cancellation(
    celery_worker_thread, smtp_inbox, maison_langres, committed
):
    occurrence = public_event(maison_langres, soon(4), registration=True, capacity=1, waiting_list=True)
    # Each in its own committed transaction (this test's database is not wrapped in one).
    registrations.register(occupancy=occurrence, name="Camille", email="camille@example.fr", consent="oui")
    registrations.register(occupancy=occurrence, name="Dominique", email="dominique@example.fr", consent="oui")
    assert wait_until(lambda: len(smtp_inbox.messages) >= 2), list(
        Notification.objects.values_list("kind", "state", "reason", "last_error", "queued_at")
    )
    messages = dict(received(smtp_inbox, 2))
    assert "Inscription confirmée" in messages["camille@example.fr"]["Subject"]
    assert "Liste d’attente" in messages["dominique@example.fr"]["Subject"]
    (due,) = Notification.objects.filter(kind=REGISTRATION_REMINDER).values_list("due_at", flat=True)
    assert timezone.localtime(due).hour == 17
    dispatch_due(now=due + datetime.timedelta(minutes=1))
    (to, reminder) = received(smtp_inbox, 3)[2]
    assert to == "camille@example.fr" and "/agenda/annulation/" in text_of(reminder)
    assert "/comptes/desabonnement/" in text_of(reminder)  # No account: the refusal link.
    with committed():
        calendar.cancel(occurrence, reason="Salle inondée")
    notices = dict(received(smtp_inbox, 5)[3:])
    assert set(notices) == {"camille@example.fr", "dominique@example.fr"}
    assert all("Événement annulé" in message["Subject"] for message in notices.values())


def test_the_weekly_digest_goes_to_agents_and_project_leads_once(
    celery_worker_thread, smtp_inbox, maison_langres, user_with_role, book
):
    agent = user_with_role(Role.AGENT, maisons=[maison_langres], email="agent@example.fr")
    lead = user_with_role(Role.PROJECT_LEAD, email="chef@example.fr")
    today = timezone.localdate()
    next_monday = today + datetime.timedelta(days=7 - today.weekday())
    booking = book(days=(next_monday - today).days + 1)  # Next week's Tuesday.
    received(smtp_inbox, 1)
    smtp_inbox.messages.clear()
    from events.notifications import weekly_digest_send

    monday = timezone.localtime(booking.period.lower).replace(hour=7, minute=31) - datetime.timedelta(days=1)
    assert weekly_digest_send(now=monday) == 2
    assert weekly_digest_send(now=monday) == 0  # Beat run twice: nothing more.
    dispatch_due(now=monday + datetime.timedelta(minutes=1))
    digests = dict(received(smtp_inbox, 2))
    assert set(digests) == {agent.email, lead.email}
    body = text_of(digests[agent.email])
    assert "Programme de la semaine" in digests[agent.email]["Subject"] and booking.room.name in body
    # Marked sent once the server accepted the message, in the same transaction: wait for its commit.
    assert wait_until(lambda: Notification.objects.filter(kind=WEEKLY_DIGEST, state=State.SENT).count() == 2)


def test_smtp_down_then_up_gives_one_delivery_after_retries(celery_worker_thread, settings, book, official):
    """The server is down when the confirmation leaves: the worker retries with back-off; it comes up: one e-mail."""
    import socket

    from aiosmtpd.controller import Controller

    settings.NOTIFICATIONS_RETRY_BACKOFF = 0.5
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    book(days=3)
    row = Notification.objects.get(kind="events.reservation_change")
    assert wait_until(lambda: Notification.objects.get(pk=row.pk).attempts >= 1)
    row.refresh_from_db()
    assert row.state == State.PENDING and "Connection refused" in row.last_error
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert wait_until(lambda: Notification.objects.get(pk=row.pk).state == State.SENT)
    finally:
        controller.stop()
    ((recipients, subject),) = inbox.messages
    assert recipients == [official.email] and "Réservation confirmée" in subject


class Inbox:
    """A second capturing server, started late (the fixture's starts with the test)."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email
        import email.policy

        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message["Subject"]))
        return "250 Message accepted for delivery"
