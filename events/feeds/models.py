import hashlib
import secrets

from django.conf import settings
from django.db import models


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class CalendarTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class CalendarToken(models.Model):
    """The secret in a person's calendar subscription addresses (/agenda/flux/<key>/…).

    Only its SHA-256 is stored: the address is shown once, when it is created. Revoked by the person (a new
    address replaces the old one) or when the account is deactivated (receivers.py)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="personne", on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    key_digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    revoked_at = models.DateTimeField("révoquée le", null=True, blank=True)

    objects = CalendarTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "adresse d’abonnement au calendrier"
        verbose_name_plural = "adresses d’abonnement au calendrier"
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_token_one_active_per_user",
                violation_error_message="Cette personne a déjà une adresse d’abonnement active.",
            )
        ]

    def __str__(self):
        return f"Calendrier de {self.user}"

    @classmethod
    def new_key(cls) -> str:
        return secrets.token_urlsafe(32)

    @classmethod
    def find(cls, key: str):
        """The active token for `key`, with its person, or None."""
        if not key or len(key) > 100:
            return None
        return cls.objects.active().select_related("user").filter(key_digest=digest(key)).first()
