"""The mails a registrant receives: confirmation (with the event as .ics), waiting list, seat obtained.

Sent by tasks.send_registration_mail_task once the registration is committed. Reminders before the event are
issue 10's (it can reuse `context_for`)."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from events import ical

from .models import Registration, RegistrationStatus

KINDS = {"confirmed", "waiting", "promoted"}


def context_for(registration: Registration) -> dict:
    occupancy = registration.occupancy
    return {
        "registration": registration,
        "occupancy": occupancy,
        "start": timezone.localtime(occupancy.period.lower),
        "end": timezone.localtime(occupancy.period.upper),
        "event_url": f"{settings.SITE_URL}{reverse('agenda:detail', args=[occupancy.slug])}",
        "cancel_url": f"{settings.SITE_URL}{reverse('agenda:registration_cancel', args=[registration.cancel_token])}",
    }


def send_registration_mail(registration_id: int, kind: str) -> bool:
    if kind not in KINDS:
        raise ValueError(f"Unknown registration mail {kind!r}.")
    registration = (
        Registration.objects.select_related("occupancy__maison__commune", "occupancy__room", "occupancy__category")
        .filter(pk=registration_id)
        .first()
    )
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return False
    context = {**context_for(registration), "kind": kind}
    message = EmailMessage(
        subject=render_to_string("events/registrations/email/subject.txt", context).strip(),
        body=render_to_string("events/registrations/email/body.txt", context),
        to=[registration.email],
    )
    if registration.status == RegistrationStatus.CONFIRMED:
        document = ical.calendar(
            [registration.occupancy], name=registration.occupancy.title, audience=ical.Audience.PUBLIC
        )
        message.attach("evenement.ics", document, "text/calendar")
    message.send()
    return True
