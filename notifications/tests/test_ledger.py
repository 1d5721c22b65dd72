"""The ledger: each message once, reminders that follow their booking, refusals, failures, the grace period."""

import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from events import services as calendar
from events.notifications import RESERVATION_CHANGE, RESERVATION_REMINDER
from notifications import services
from notifications.delivery import deliver
from notifications.models import Notification, OptOut, Preference, Rule, State
from notifications.personal_data import purge_ledger
from notifications.services import Recipient, dispatch_due, notify

pytestmark = pytest.mark.django_db


def reminders(occupancy, state=State.PENDING):
    return sorted(
        Notification.objects.filter(kind=RESERVATION_REMINDER, object_id=occupancy.pk, state=state).values_list(
            "recipient_email", "due_at"
        )
    )


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def test_a_booking_is_confirmed_at_once_and_reminded_the_day_before_at_17_and_2_hours_before(book, official, eager):
    booking = book(days=3)
    (message,) = mail.outbox
    assert message.to == [official.email] and message.subject.startswith(
        "[Maisons du Département] Réservation confirmée"
    )
    start = booking.period.lower
    assert [(email, local(due)) for email, due in reminders(booking)] == [
        (official.email, local(start - datetime.timedelta(days=1))[:11] + "17:00"),
        (official.email, local(start - datetime.timedelta(hours=2))),
    ]
    # Planning again (beat's pass, a second signal) adds nothing: the idempotency key.
    from events.notifications import plan_reservation, plan_window

    plan_reservation(booking)
    plan_window()
    assert Notification.objects.filter(kind=RESERVATION_REMINDER).count() == 2


def test_a_moved_booking_is_reminded_at_its_new_time_only(book, official, eager, committed):
    booking = book(days=3)
    before = reminders(booking)
    with committed():
        calendar.move(
            booking,
            start=booking.period.lower + datetime.timedelta(days=1),
            end=booking.period.upper + datetime.timedelta(days=1),
        )
    after = reminders(booking)
    assert len(after) == 2 and not set(before) & set(after)
    assert reminders(booking, State.CANCELLED) == before
    assert mail.outbox[-1].subject.startswith("[Maisons du Département] Réservation modifiée")
    # Moved back: the first reminders wait again, nothing is duplicated.
    with committed():
        calendar.move(
            booking, start=before[1][1] + datetime.timedelta(hours=2), end=before[1][1] + datetime.timedelta(hours=3)
        )
    assert reminders(booking) == before and Notification.objects.filter(kind=RESERVATION_REMINDER).count() == 4


def test_a_cancelled_booking_gets_its_notice_and_no_reminder(book, official, eager, committed):
    booking = book(days=3)
    with committed():
        calendar.cancel(booking, user=official)
    assert reminders(booking) == [] and len(reminders(booking, State.CANCELLED)) == 2
    assert mail.outbox[-1].subject.startswith("[Maisons du Département] Réservation annulée")
    # A reminder row that escaped (say, planned by a pass running at that moment) finds it cancelled and sends nothing.
    row = Notification.objects.filter(kind=RESERVATION_REMINDER).first()
    Notification.objects.filter(pk=row.pk).update(state=State.PENDING, due_at=timezone.now())
    outbox = len(mail.outbox)
    assert deliver(row.pk) == "cancelled" and len(mail.outbox) == outbox


def test_each_message_is_sent_once_whatever_asks_for_it_again(book, official, eager):
    book(days=3)
    row = Notification.objects.get(kind=RESERVATION_CHANGE)
    assert row.state == State.SENT and row.attempts == 1
    assert deliver(row.pk) == "already_sent"
    assert services.resend(row) is False  # Only failed or cancelled messages are sent again.
    assert dispatch_due() == {"queued": 0, "dropped": 0}
    assert len(mail.outbox) == 1
    assert mail.outbox[0].extra_headers["Message-ID"] == f"<notification-{row.pk}@maisons.haute-marne.fr>"


def test_a_reminder_is_sent_when_due_and_dropped_when_found_too_late(book, official, settings, caplog):
    settings.NOTIFICATIONS_GRACE_MINUTES = 60
    booking = book(days=3)
    mail.outbox.clear()
    first, second = Notification.objects.filter(kind=RESERVATION_REMINDER).order_by("due_at")
    # Beat running late but within the grace period: sent.
    Notification.objects.filter(pk=first.pk).update(due_at=timezone.now() - datetime.timedelta(minutes=30))
    # An outage: found two hours after its due time, the "2 hours before" reminder is dropped and logged.
    Notification.objects.filter(pk=second.pk).update(due_at=timezone.now() - datetime.timedelta(hours=2))
    with caplog.at_level(logging.WARNING, logger="notifications.services"):
        from config.celery import app

        app.conf.task_always_eager = True
        try:
            assert dispatch_due() == {"queued": 1, "dropped": 1}
        finally:
            app.conf.task_always_eager = False
    assert "dropped" in caplog.text
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (State.SENT, State.CANCELLED) and "Trop tard" in second.reason
    (message,) = mail.outbox
    assert message.subject.startswith("[Maisons du Département] Rappel : Salle Diderot, le ")
    body = message.body
    assert "Réunion de quartier" in body and "/reservations/mes-reservations/" in body
    assert "/comptes/notifications/" in body  # Refusable: the preferences link.
    html = message.alternatives[0][0]
    assert "Ne plus recevoir ce type de message" in html and booking.room.name in html


def test_an_official_who_refuses_reminders_gets_none_and_chooses_lead_times(book, official, eager):
    Preference.objects.create(user=official, kind=RESERVATION_REMINDER, enabled=False)
    booking = book(days=3)
    assert reminders(booking) == []
    assert len(mail.outbox) == 1  # The confirmation is never refused.
    Preference.objects.filter(user=official).update(enabled=True, timings=[{"days": 0, "minutes": 30}])
    from events.notifications import plan_reservation

    plan_reservation(booking)
    assert reminders(booking) == [(official.email, booking.period.lower - datetime.timedelta(minutes=30))]


def test_an_address_without_account_refuses_through_its_link(maison_langres, eager):
    from events.notifications import REGISTRATION_REMINDER, plan_registration
    from events.registrations.models import Registration
    from events.tests.agenda_support import public_event, soon

    occurrence = public_event(maison_langres, soon(5), registration=True, capacity=10)
    registration = Registration.objects.create(occupancy=occurrence, name="Camille", email="camille@example.fr")
    plan_registration(registration)
    assert Notification.objects.filter(kind=REGISTRATION_REMINDER, state=State.PENDING).count() == 1
    OptOut.objects.create(email="Camille@Example.fr", kind=REGISTRATION_REMINDER)
    plan_registration(registration)
    assert Notification.objects.filter(kind=REGISTRATION_REMINDER, state=State.PENDING).count() == 0


def test_a_rule_switched_off_sends_nothing_of_its_kind(book, eager):
    Rule.objects.create(kind=RESERVATION_CHANGE, enabled=False)
    Rule.objects.create(kind=RESERVATION_REMINDER, enabled=False)
    book(days=3)
    assert mail.outbox == [] and not Notification.objects.exists()


def test_smtp_failures_are_retried_then_shown_failed_and_sent_again_on_demand(book, official, settings):
    """A real SMTP client against a closed port (nothing listens): the failure is counted, then final."""
    import socket

    booking = book(days=3)
    row = Notification.objects.get(kind=RESERVATION_CHANGE)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    settings.EMAIL_USE_TLS = False
    settings.NOTIFICATIONS_MAX_RETRIES = 2
    settings.NOTIFICATIONS_RETRY_BACKOFF = 0.01
    from notifications.tasks import deliver_task

    result = deliver_task.apply(args=[row.pk])  # Eager: Celery runs the retries in place.
    # Read from the test, not from a task: Celery's guard against waiting inside a task is a process-wide flag that
    # an in-process worker of an earlier test may have left set (it failed once so on CI).
    assert result.get(disable_sync_subtasks=False) == "failed"
    row.refresh_from_db()
    assert (row.state, row.attempts) == (State.FAILED, 3) and "ConnectionRefusedError" in row.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.resend(row) is True
    assert deliver(row.pk) == "sent"
    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 4, "")
    assert booking.room.name in mail.outbox[-1].subject


def test_one_message_per_address(maison_langres, eager, committed):
    from accueil.notifications import REFERRAL
    from accueil.tests.factories import ReferralFactory

    referral = ReferralFactory(visit__maison=maison_langres)
    with committed():
        rows = notify(
            REFERRAL, referral, [Recipient("a@example.fr"), Recipient("b@example.fr"), Recipient("A@example.fr")]
        )
    assert len(rows) == 2  # One per address, whatever its case.
    assert sorted(message.to[0] for message in mail.outbox) == ["a@example.fr", "b@example.fr"]


def test_the_ledger_is_deleted_after_its_retention_delay(book, eager):
    book(days=3)
    Notification.objects.filter(kind=RESERVATION_CHANGE).update(due_at=timezone.now() - datetime.timedelta(days=91))
    assert purge_ledger(datetime.timedelta(days=90)) == 1
    assert Notification.objects.filter(kind=RESERVATION_REMINDER).count() == 2


def test_changes_made_in_one_go_share_a_message_and_a_later_one_gets_its_own(maison_langres, committed):
    from events.notifications import EVENT_CHANGE
    from events.tests.agenda_support import public_event, soon

    occurrence = public_event(maison_langres, soon(5))
    minute = timezone.now().replace(second=0, microsecond=0)
    first = notify(
        EVENT_CHANGE, occurrence.event, [Recipient("a@example.fr")], at=minute, payload={"o": [1]}, merge="o"
    )
    notify(EVENT_CHANGE, occurrence.event, [Recipient("a@example.fr")], at=minute, payload={"o": [2]}, merge="o")
    (row,) = Notification.objects.filter(kind=EVENT_CHANGE)
    assert row.pk == first[0].pk and row.payload == {"o": [1, 2]}
    Notification.objects.filter(pk=row.pk).update(state=State.SENT)
    later = notify(
        EVENT_CHANGE, occurrence.event, [Recipient("a@example.fr")], at=minute, payload={"o": [3]}, merge="o"
    )
    assert len(later) == 1 and later[0].payload == {"o": [3]}  # Not lost in a message already gone.
    assert Notification.objects.filter(kind=EVENT_CHANGE).count() == 2
