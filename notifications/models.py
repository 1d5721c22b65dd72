"""The ledger of every e-mail the portal sends (DESIGN.md invariant 2), the rules the project lead edits, and what
each person chose to receive.

One `Notification` row per message and recipient, keyed by (kind, object, recipient address, due time) under a
unique constraint: scheduling the same reminder twice inserts nothing the second time, and the row's state says
whether it is waiting, sent, failed or cancelled. The send task claims the row (row lock) and marks it sent in the
same transaction (notifications/delivery.py).
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.validators import multiline_text, single_line_text


class State(models.TextChoices):
    PENDING = "pending", "en attente"
    SENT = "sent", "envoyé"
    FAILED = "failed", "en échec"
    CANCELLED = "cancelled", "annulé"


class Notification(models.Model):
    kind = models.CharField("type", max_length=60)
    content_type = models.ForeignKey(
        ContentType, verbose_name="type d’objet", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField("objet", null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    recipient_email = models.EmailField("destinataire", max_length=254)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte du destinataire",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    due_at = models.DateTimeField("prévu pour")
    state = models.CharField("état", max_length=20, choices=State.choices, default=State.PENDING)
    payload = models.JSONField("données", default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    reason = models.CharField("motif", max_length=200, blank=True)
    subject = models.CharField("objet du message", max_length=300, blank=True)
    queued_at = models.DateTimeField("confié aux tâches le", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "envoi"
        verbose_name_plural = "envois"
        ordering = ["-due_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "recipient_email", "due_at"],
                nulls_distinct=False,
                name="notification_idempotency_key",
            ),
        ]
        indexes = [
            models.Index(fields=["due_at"], condition=models.Q(state="pending"), name="notification_pending_due"),
            models.Index(fields=["content_type", "object_id", "kind"], name="notification_target"),
            models.Index(fields=["state", "-due_at"], name="notification_state_due"),
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient_email} ({self.get_state_display()})"

    @property
    def kind_label(self) -> str:
        from .kinds import registry

        kind = registry.get(self.kind)
        return kind.label if kind else self.kind


class Rule(models.Model):
    """The project lead's settings of one kind of message (notifications/kinds.py holds the defaults)."""

    kind = models.CharField("type", max_length=60, unique=True)
    enabled = models.BooleanField("envoyé", default=True)
    timings = models.JSONField("délais", default=list, blank=True)
    subject = models.CharField(
        "objet", max_length=300, blank=True, validators=[single_line_text], help_text="Vide : le texte par défaut."
    )
    body = models.TextField(
        "texte", blank=True, max_length=20000, validators=[multiline_text], help_text="Vide : le texte par défaut."
    )
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "règle d’envoi"
        verbose_name_plural = "règles d’envoi"
        ordering = ["kind"]

    def __str__(self):
        return self.kind


class Preference(models.Model):
    """A person's choice for one kind: receive it or not, and their own lead times (empty: the rule's)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField("type", max_length=60)
    enabled = models.BooleanField("recevoir", default=True)
    timings = models.JSONField("délais", default=list, blank=True)

    class Meta:
        verbose_name = "préférence d’envoi"
        verbose_name_plural = "préférences d’envoi"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self):
        return f"{self.user} · {self.kind}"


class OptOut(models.Model):
    """An address without an account that refused one kind of message through the link in it."""

    email = models.EmailField("adresse", max_length=254)
    kind = models.CharField("type", max_length=60)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "désabonnement"
        constraints = [models.UniqueConstraint(fields=["email", "kind"], name="notification_optout_once")]

    def __str__(self):
        return f"{self.email} · {self.kind}"
