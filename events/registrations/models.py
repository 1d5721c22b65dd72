import secrets

from django.core import signing
from django.db import models

from core.validators import single_line_text
from events.models import Occupancy

CANCEL_SALT = "events.registrations.cancel"


def new_nonce() -> str:
    return secrets.token_urlsafe(24)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", "inscription confirmée"
    WAITING = "waiting", "en liste d’attente"
    CANCELLED = "cancelled", "annulée"


class Registration(models.Model):
    """A member of the public registered for one occurrence of an event (or waiting for a seat).

    The cancellation link carries a signed token made of the registration's id and a random nonce
    (`cancel_token`): guessing it means guessing the nonce, and a leaked database dump without SECRET_KEY forges
    none. Registrants' data is deleted EVENT_REGISTRATION_RETENTION_DAYS after the event (personal_data.py).
    """

    occupancy = models.ForeignKey(
        Occupancy, verbose_name="occurrence", on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField("nom et prénom", max_length=150, validators=[single_line_text])
    email = models.EmailField("adresse électronique", max_length=254)
    status = models.CharField(
        "statut", max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.CONFIRMED
    )
    nonce = models.CharField(max_length=64, default=new_nonce, editable=False)
    consent = models.TextField("consentement donné", blank=True)
    created_at = models.DateTimeField("inscrite le", auto_now_add=True)
    promoted_at = models.DateTimeField("passée de la liste d’attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)

    class Meta:
        verbose_name = "inscription"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["occupancy", "email"],
                condition=~models.Q(status="cancelled"),
                name="registration_one_per_email",
                violation_error_message="Cette adresse est déjà inscrite à cet événement.",
            ),
        ]
        indexes = [models.Index(fields=["occupancy", "status"])]

    def __str__(self):
        return f"{self.name} ({self.get_status_display()})"

    @property
    def cancel_token(self) -> str:
        return signing.dumps([self.pk, self.nonce], salt=CANCEL_SALT, compress=True)

    @classmethod
    def from_cancel_token(cls, token: str):
        """The registration a cancellation link names, or None (tampered, unknown or already deleted)."""
        try:
            pk, nonce = signing.loads(token, salt=CANCEL_SALT)
        except (signing.BadSignature, ValueError, TypeError):
            return None
        if not isinstance(pk, int) or not isinstance(nonce, str):
            return None
        registration = cls.objects.filter(pk=pk).select_related("occupancy__maison").first()
        if registration is None or not secrets.compare_digest(registration.nonce, nonce):
            return None
        return registration
