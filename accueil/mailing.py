"""The reception log's e-mails, in one small module (issue 10 will move them onto a shared reminder ledger): the
referral to a partner or direction, and the follow-up reminder to the agent. Each is sent once: the task marks it
sent in the database, under a row lock, in the same transaction that sends it."""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .models import Referral

logger = logging.getLogger(__name__)


def _send(*, template: str, to: list[str], context: dict, reply_to: list[str] | None = None) -> None:
    subject = " ".join(render_to_string(f"accueil/email/{template}_subject.txt", context).split())
    body = render_to_string(f"accueil/email/{template}_body.txt", context)
    html = render_to_string(f"accueil/email/{template}_body.html", context)
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, to, reply_to=reply_to)
    message.attach_alternative(html, "text/html")
    message.send()


def referral_send(referral_pk: int) -> bool:
    """Send the referral to its partner or direction, once; returns True when it was sent now."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("visit__maison", "partner", "direction", "agent")
            .filter(pk=referral_pk, sent_at__isnull=True, personal_data_erased_at__isnull=True)
            .first()
        )
        if referral is None:
            return False
        maison = referral.visit.maison
        _send(
            template="referral",
            to=[referral.recipient_email],
            reply_to=[maison.email] if maison.email else None,
            context={"referral": referral, "maison": maison, "destination": referral.destination},
        )
        referral.sent_at = timezone.now()
        referral.save(update_fields=["sent_at"])
    logger.info("Referral %s sent.", referral_pk)
    return True


def referral_follow_up_send(referral_pk: int) -> bool:
    """Remind the agent to ask whether the visitor got an answer, once; True when sent now."""
    with transaction.atomic():
        referral = (
            Referral.objects.select_for_update(of=("self",), skip_locked=True)
            .select_related("visit__maison", "partner", "direction", "agent")
            .filter(pk=referral_pk, follow_up_sent_at__isnull=True, agent__isnull=False)
            .first()
        )
        if referral is None or not referral.agent.email:
            return False
        url = settings.SITE_URL.rstrip("/") + reverse("accueil:referral_answer", args=[referral.pk])
        _send(
            template="referral_follow_up",
            to=[referral.agent.email],
            context={"referral": referral, "destination": referral.destination, "url": url},
        )
        referral.follow_up_sent_at = timezone.now()
        referral.save(update_fields=["follow_up_sent_at"])
    return True


def due_follow_ups(now=None):
    now = now or timezone.now()
    return Referral.objects.filter(
        follow_up_at__lte=now, follow_up_sent_at__isnull=True, sent_at__isnull=False, agent__isnull=False
    ).values_list("pk", flat=True)
