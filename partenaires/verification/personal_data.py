"""The verification requests hold the address they were sent to, and proposals what a partner wrote: personal
data when a person's name or address is in them. Kept PARTNER_VERIFICATION_RETENTION_DAYS after their answer or
expiry, then erased (the partner's last-verified date stays)."""

import datetime

from django.db.models import Q
from django.utils import timezone

from core import retention


def purge_old_requests(delay: datetime.timedelta) -> int:
    from .models import VerificationRequest

    limit = timezone.now() - delay
    deleted, _ = (
        VerificationRequest.objects.filter(
            Q(answered_at__lt=limit) | Q(answered_at__isnull=True, expires_at__lt=limit)
        )
        .exclude(proposals__status="pending")
        .delete()
    )
    return deleted


def register() -> None:
    retention.register(
        retention.RetentionRule(
            key="partner-verifications",
            data="Demandes de vérification envoyées aux partenaires (adresse) et modifications qu’ils ont proposées",
            purpose="Tenir l’annuaire des partenaires à jour avec eux, sans compte",
            setting="PARTNER_VERIFICATION_RETENTION_DAYS",
            purge=purge_old_requests,
            outcome=retention.Outcome.ERASED,
            then="Les demandes et propositions sont effacées ; la date de dernière vérification de la fiche reste.",
        )
    )
