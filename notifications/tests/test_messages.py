"""What each message says: a request's answer, the project lead's daily digest (working days only, and only when
there is something to report), an event's change for the people associated with it."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.enums import Role
from events import services as calendar
from events.notifications import DAILY_DIGEST, daily_digest_send, working_day
from events.tests.agenda_support import public_event, soon
from notifications.delivery import deliver
from notifications.models import Notification
from notifications.timing import PARIS

pytestmark = pytest.mark.django_db


def subjects():
    return [message.subject.removeprefix("[Maisons du Département] ").split(" : ")[0] for message in mail.outbox]


def test_a_request_is_acknowledged_then_accepted_or_refused_with_its_reason(
    book, room, official, user_with_role, committed, eager
):
    room.requires_approval = True
    room.save()
    lead = user_with_role(Role.PROJECT_LEAD)
    first = book(days=3)
    second = book(days=4)
    with committed():
        calendar.approve(first, user=lead)
        calendar.refuse(second, user=lead, reason="Salle prêtée au collège")
    assert subjects() == [
        "Demande de réservation enregistrée",
        "Demande de réservation enregistrée",
        "Réservation acceptée",
        "Demande de réservation refusée",
    ]
    assert "Motif : Salle prêtée au collège" in mail.outbox[3].body
    assert "vous recevrez sa réponse par courriel" in mail.outbox[0].body
    # Reminders only for the accepted booking.
    reminded = set(Notification.objects.filter(kind="events.reservation_reminder").values_list("object_id", flat=True))
    assert reminded == {first.pk}


def test_the_daily_digest_lists_requests_and_incomplete_events_on_working_days(
    book, room, user_with_role, maison_langres, eager, committed
):
    lead = user_with_role(Role.PROJECT_LEAD, email="chef@example.fr")
    room.requires_approval = True
    room.save()
    book(days=3)
    occurrence = public_event(maison_langres, soon(10), title="Forum de l’emploi")
    occurrence.event.description = ""
    occurrence.event.save()
    mail.outbox.clear()
    monday = datetime.datetime(2026, 12, 14, 8, 0, tzinfo=PARIS)
    assert daily_digest_send(now=monday) == 1
    assert daily_digest_send(now=monday) == 0  # Beat twice: once.
    row = Notification.objects.get(kind=DAILY_DIGEST)
    assert row.due_at == monday and deliver(row.pk) == "sent"  # Sent when due (the dispatcher's part).
    (message,) = mail.outbox
    assert message.to == [lead.email]
    assert message.subject == "[Maisons du Département] À traiter : 1 demande de réservation, 1 événement à compléter"
    assert (
        "Salle Diderot" in message.body
        and "Forum de l’emploi (Maison du Département de Langres) : description" in (message.body)
    )
    assert "/gestion/reservations/" in message.body


def test_no_daily_digest_on_weekends_public_holidays_or_with_nothing_to_report(user_with_role, eager, committed):
    user_with_role(Role.PROJECT_LEAD, email="chef@example.fr")
    saturday = datetime.datetime(2026, 12, 12, 8, 0, tzinfo=PARIS)
    christmas = datetime.datetime(2026, 12, 25, 8, 0, tzinfo=PARIS)  # A Friday.
    assert not working_day(saturday.date()) and not working_day(christmas.date())
    assert daily_digest_send(now=saturday) == 0 and daily_digest_send(now=christmas) == 0
    assert daily_digest_send(now=datetime.datetime(2026, 12, 14, 8, 0, tzinfo=PARIS)) == 1
    # Nothing waits: the row is cancelled at sending time, no message.
    assert deliver(Notification.objects.get(kind=DAILY_DIGEST).pk) == "cancelled"
    assert mail.outbox == []


def test_people_associated_with_a_series_get_one_message_for_its_dates_cancelled_together(
    maison_langres, user_with_role, eager, committed
):
    from events.tests.agenda_support import weekly_permanence
    from partenaires.tests.factories import PartnerFactory

    partner = PartnerFactory(email="caf@example.fr")
    first = timezone.localtime(soon(3)).replace(hour=9)
    occurrences = weekly_permanence(maison_langres, first, 3, partner=partner)
    with committed():
        for occurrence in occurrences:
            calendar.cancel(occurrence, reason="Fermeture de l’antenne")
    changes = [message for message in mail.outbox if "Annulation" in message.subject]
    assert len(changes) == 1 and changes[0].to == ["caf@example.fr"]
    assert changes[0].body.count("annulé : le ") == 3 and "Fermeture de l’antenne" in changes[0].body
