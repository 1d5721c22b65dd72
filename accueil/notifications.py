"""The reception log's e-mails, on the shared ledger (notifications/): the referral to a partner or direction (with
the visitor's consent), and the "did they get an answer?" follow-up to the agent after the delay they chose."""

from django.conf import settings
from django.urls import reverse

from notifications.kinds import Kind, registry
from notifications.models import Notification
from notifications.services import Recipient, example, notify

from .models import Referral

REFERRAL = "accueil.referral"
FOLLOW_UP = "accueil.referral_follow_up"


def _referral(notification: Notification) -> Referral | None:
    return (
        Referral.objects.select_related("visit__maison", "partner", "direction", "agent")
        .filter(pk=notification.object_id)
        .first()
    )


def referral_context(notification: Notification) -> dict | None:
    referral = _referral(notification)
    if referral is None or referral.personal_data_erased_at is not None:
        return None
    maison = referral.visit.maison
    return {
        "referral": referral,
        "maison": maison,
        "destination": referral.destination,
        "motifs": ", ".join(str(motif) for motif in referral.visit.motifs.all()),
        "reply_to": [maison.email] if maison.email else [],
    }


def follow_up_context(notification: Notification) -> dict | None:
    referral = _referral(notification)
    if referral is None or referral.agent_id is None or referral.answered_at is not None:
        return None
    return {
        "referral": referral,
        "destination": referral.destination,
        "url": settings.SITE_URL.rstrip("/") + reverse("accueil:referral_answer", args=[referral.pk]),
    }


def referral_sent(notification: Notification) -> None:
    Referral.objects.filter(pk=notification.object_id, sent_at__isnull=True).update(sent_at=notification.sent_at)


def follow_up_sent(notification: Notification) -> None:
    Referral.objects.filter(pk=notification.object_id).update(follow_up_sent_at=notification.sent_at)


def referral_created(referral: Referral) -> None:
    """The referral leaves once the caller's transaction commits; the agent's follow-up waits in the ledger."""
    notify(REFERRAL, referral, [Recipient(referral.recipient_email)])
    if referral.agent_id and referral.agent.email:
        notify(FOLLOW_UP, referral, [Recipient(referral.agent.email, referral.agent)], at=referral.follow_up_at)


def _example(kind_code: str, recipient_of):
    referral = (
        Referral.objects.filter(personal_data_erased_at__isnull=True, agent__isnull=False)
        .select_related("agent")
        .order_by("-created_at")
        .first()
    )
    if referral is None:
        return None
    return example(kind_code, referral, recipient_of(referral))


def register() -> None:
    registry.register(
        Kind(
            code=REFERRAL,
            label="Mise en relation depuis l’accueil",
            recipients="le partenaire ou la direction (boîte fonctionnelle) vers qui la personne est orientée",
            when="dès que l’agent l’enregistre, avec l’accord de la personne",
            context=referral_context,
            after_send=referral_sent,
            example=lambda: _example(REFERRAL, lambda referral: Recipient(referral.recipient_email)),
            help="Variables : {{ maison.name }}, {{ destination }}, {{ motifs }}, {{ referral.visitor_name }}, "
            "{{ referral.visitor_contact }}, {{ referral.need }}.",
        )
    )
    registry.register(
        Kind(
            code=FOLLOW_UP,
            label="Relance de l’agent après une mise en relation",
            recipients="l’agent qui a fait la mise en relation",
            when="après le délai choisi par l’agent",
            refusable=True,
            context=follow_up_context,
            for_roles=("agent",),
            after_send=follow_up_sent,
            example=lambda: _example(FOLLOW_UP, lambda referral: Recipient(referral.agent.email, referral.agent)),
            help="Variables : {{ destination }}, {{ referral.created_at }}, {{ referral.visitor_name }}, {{ url }}.",
        )
    )
