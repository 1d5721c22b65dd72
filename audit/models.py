from auditlog.models import LogEntry
from django.conf import settings
from django.db import models
from django.utils import timezone

from .enums import SecurityEventKind


class SecurityEventQuerySet(models.QuerySet):
    def older_than(self, moment):
        return self.filter(occurred_at__lt=moment)


class SecurityEvent(models.Model):
    """One entry of the security journal: a sign-in, a failure, an MFA change, a deactivation…

    `identifier` keeps what was typed at sign-in (the address), so that failures on unknown accounts are traced
    too; the journal is personal data, purged after SECURITY_LOG_RETENTION_DAYS (see core/retention.py).
    """

    kind = models.CharField("événement", max_length=30, choices=SecurityEventKind.choices)
    occurred_at = models.DateTimeField("date et heure", default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="compte",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
    )
    identifier = models.CharField("identifiant saisi", max_length=254, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="La personne qui a agi, quand ce n’est pas le titulaire du compte (un administrateur).",
    )
    ip_address = models.GenericIPAddressField("adresse IP", null=True, blank=True)
    user_agent = models.CharField("navigateur", max_length=300, blank=True)
    details = models.JSONField("détails", default=dict, blank=True)

    objects = SecurityEventQuerySet.as_manager()

    class Meta:
        verbose_name = "événement de sécurité"
        verbose_name_plural = "journal de sécurité"
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["user", "-occurred_at"]), models.Index(fields=["kind", "-occurred_at"])]

    def __str__(self):
        who = self.user or self.identifier or "inconnu"
        return f"{self.get_kind_display()} – {who} ({timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M})"


class ErasureRecord(models.Model):
    """The trace of a person's request to erase their data (RGPD art. 17), kept without the data erased.

    `subject_reference` is the former account number, never the name or address.
    """

    subject_reference = models.CharField("référence de la personne", max_length=50)
    requested_on = models.DateField("demande reçue le")
    request_reference = models.CharField(
        "référence de la demande", max_length=100, blank=True, help_text="Numéro de courrier ou de ticket."
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="traitée par", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_at = models.DateTimeField("traitée le", default=timezone.now)
    summary = models.JSONField("ce qui a été effacé ou anonymisé", default=dict)

    class Meta:
        verbose_name = "demande d’effacement"
        verbose_name_plural = "demandes d’effacement"
        ordering = ["-handled_at"]

    def __str__(self):
        return f"Effacement {self.subject_reference} ({timezone.localtime(self.handled_at):%d/%m/%Y})"


class ChangeLogEntry(LogEntry):
    """django-auditlog's entries under French names, in this app's section of /admin/ (a proxy: same table)."""

    class Meta:
        proxy = True
        verbose_name = "modification enregistrée"
        verbose_name_plural = "historique des modifications"
