from django.conf import settings
from django.db import models
from django.utils import timezone

from core.validators import multiline_text, single_line_text
from maisons.models import Direction, Maison
from partenaires.models import Partner

from .enums import Channel, Outcome


class Motif(models.Model):
    """A reason for a visit, from the reference list kept by administrators."""

    label = models.CharField("libellé", max_length=150, unique=True, validators=[single_line_text])
    position = models.PositiveSmallIntegerField("ordre d’affichage", default=0)
    is_active = models.BooleanField("proposé à la saisie", default=True)

    class Meta:
        verbose_name = "motif de visite"
        verbose_name_plural = "motifs de visite"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class VisitQuerySet(models.QuerySet):
    def on_day(self, day):
        return self.filter(occurred_at__date=day)


class Visit(models.Model):
    """One contact with a visitor. Invariant 3: no name is stored; the optional note is purged after a delay."""

    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.PROTECT, related_name="visits")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits_logged",
    )
    occurred_at = models.DateTimeField("date et heure", default=timezone.now, db_index=True)
    channel = models.CharField("canal", max_length=20, choices=Channel.choices, default=Channel.IN_PERSON)
    motif = models.ForeignKey(Motif, verbose_name="motif", on_delete=models.PROTECT, related_name="visits")
    outcome = models.CharField("suite donnée", max_length=20, choices=Outcome.choices, default=Outcome.ANSWERED)
    direction = models.ForeignKey(
        Direction, verbose_name="direction", on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    note = models.TextField(
        "remarque",
        blank=True,
        max_length=500,
        help_text="Facultatif, sans nom ; effacé après un délai.",
        validators=[multiline_text],
    )
    created_at = models.DateTimeField("saisie le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "visite"
        ordering = ["-occurred_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.DIRECTION) | models.Q(direction__isnull=False),
                name="visit_direction_outcome_has_direction",
                violation_error_message="Indiquez la direction vers laquelle le visiteur est orienté.",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome=Outcome.PARTNER) | models.Q(partner__isnull=False),
                name="visit_partner_outcome_has_partner",
                violation_error_message="Indiquez le partenaire vers lequel le visiteur est orienté.",
            ),
        ]
        indexes = [models.Index(fields=["maison", "occurred_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} – {self.motif} ({timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M})"
