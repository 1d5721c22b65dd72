"""A person's calendar subscription address: created (replacing the previous one) and revoked."""

from django.db import transaction
from django.utils import timezone

from .models import CalendarToken, digest


@transaction.atomic
def token_renew(*, user) -> str:
    """Revoke `user`'s current address and create a new one; returns the secret key (shown once)."""
    token_revoke_all(user=user)
    key = CalendarToken.new_key()
    CalendarToken.objects.create(user=user, key_digest=digest(key))
    return key


def token_revoke_all(*, user) -> int:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
