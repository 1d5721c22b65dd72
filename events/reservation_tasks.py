"""Background work of the room reservations: expiry of unanswered requests (beat, database schedule) and the
author's e-mails (queued by events/reservations.py from `occupancy_changed`)."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import ical
from .enums import OccupancyStatus
from .models import Occupancy


@shared_task(acks_late=True)
def reservations_expire_task() -> int:
    """Every few minutes (CELERY_BEAT_SCHEDULE["events-reservations-expire"]): pending requests past their delay."""
    from .reservations import reservations_expire

    return reservations_expire()


SUBJECTS = {
    "created": "Réservation confirmée",
    "pending": "Demande de réservation enregistrée",
    "confirmed": "Réservation acceptée",
    "refused": "Demande de réservation refusée",
    "expired": "Demande de réservation expirée",
    "cancelled": "Réservation annulée",
    "moved": "Réservation modifiée",
}


def reservation_ics(occupancies: list[Occupancy]) -> bytes:
    """The bookings as the holder's own calendar sees them (events/ical.py): stable UID, SEQUENCE, Europe/Paris;
    a booking that no longer holds its slot is STATUS:CANCELLED, so that calendars remove it."""
    return ical.calendar(occupancies, name="Réservation de salle", audience=ical.Audience.PRIVATE)


def reservation_message(occupancies: list[Occupancy], change: str) -> EmailMultiAlternatives | None:
    """The French e-mail (text and HTML) telling the holder, and the assistant who booked, of `change`, with the
    .ics of the booking (STATUS:CANCELLED when it no longer holds its slot)."""
    from .services import slot_text

    if not occupancies:
        return None
    first = occupancies[0]
    if change == "created" and first.status == OccupancyStatus.PENDING:
        change = "pending"
    recipients = [first.holder.email] if first.holder_id else []
    if first.booked_by_id and first.booked_by_id != first.holder_id:
        recipients.append(first.booked_by.email)
    if not recipients:
        return None
    context = {
        "change": change,
        "occupancies": [
            (occupancy, slot_text(occupancy.period.lower, occupancy.period.upper)) for occupancy in occupancies
        ],
        "first": first,
        "room": first.room,
        "maison": first.maison,
        "site_url": settings.SITE_URL,
    }
    subject = f"{SUBJECTS[change]} : {first.room.name}, {context['occupancies'][0][1]}"
    if len(occupancies) > 1:
        subject += f" (et {len(occupancies) - 1} autre{'s' if len(occupancies) > 2 else ''})"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("events/email/reservation_body.txt", context),
        to=recipients,
    )
    message.attach_alternative(render_to_string("events/email/reservation_body.html", context), "text/html")
    message.attach("reservation.ics", reservation_ics(occupancies), "text/calendar")
    return message


@shared_task(
    acks_late=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=30,
    retry_kwargs={"max_retries": 5},
)
def reservation_notify_task(occupancy_ids: list[int], change: str) -> int:
    """Mail the author of these reservations (one series, or one booking) about `change`."""
    occupancies = list(
        Occupancy.objects.filter(pk__in=occupancy_ids)
        .select_related("maison__commune", "room", "holder", "booked_by", "category", "partner")
        .order_by("period")
    )
    message = reservation_message(occupancies, change)
    if message is None:
        return 0
    message.send()
    return len(message.to)
