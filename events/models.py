from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.validators import multiline_text, single_line_text
from maisons.models import Maison, Room
from partenaires.models import Partner

from .enums import OccupancyKind, OccupancyStatus


class Category(models.Model):
    name = models.CharField("nom", max_length=100, unique=True, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=80, unique=True)

    class Meta:
        verbose_name = "catégorie"
        ordering = ["name"]

    def __str__(self):
        return self.name


class OccupancyQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=OccupancyStatus.CONFIRMED)

    def upcoming(self):
        return self.confirmed().filter(period__endswith__gt=timezone.now())


class Occupancy(models.Model):
    """Anything that occupies a Maison in time: a public event, a permanence, a meeting or an official's booking.

    Invariant 1: a room is never double-booked. The exclusion constraint below makes PostgreSQL refuse two
    confirmed occupancies of the same room whose periods overlap, even under concurrent requests.
    """

    kind = models.CharField("nature", max_length=20, choices=OccupancyKind.choices)
    status = models.CharField(
        "statut", max_length=20, choices=OccupancyStatus.choices, default=OccupancyStatus.CONFIRMED
    )
    title = models.CharField("intitulé", max_length=200, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=120, unique=True, null=True, blank=True)
    description = models.TextField("description", blank=True, validators=[multiline_text])
    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.PROTECT, related_name="occupancies")
    room = models.ForeignKey(
        Room, verbose_name="salle", on_delete=models.PROTECT, related_name="occupancies", null=True, blank=True
    )
    period = DateTimeRangeField("période")
    is_public = models.BooleanField("visible du public", default=False)
    category = models.ForeignKey(
        Category, verbose_name="catégorie", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, null=True, blank=True, related_name="occupancies"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="titulaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="occupancies",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = OccupancyQuerySet.as_manager()

    class Meta:
        verbose_name = "occupation"
        ordering = ["period"]
        constraints = [
            ExclusionConstraint(
                name="occupancy_no_room_overlap",
                expressions=[("room", RangeOperators.EQUAL), ("period", RangeOperators.OVERLAPS)],
                condition=models.Q(status=OccupancyStatus.CONFIRMED, room__isnull=False),
                violation_error_message="Cette salle est déjà occupée sur ce créneau.",
            ),
            models.CheckConstraint(
                condition=~models.Q(period__isempty=True) & models.Q(period__lower_inf=False, period__upper_inf=False),
                name="occupancy_period_bounded",
                violation_error_message="La fin doit suivre le début.",
            ),
        ]
        indexes = [models.Index(fields=["maison", "status"])]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    def clean(self):
        if self.room_id and self.maison_id and self.room.maison_id != self.maison_id:
            raise ValidationError({"room": "Cette salle n’appartient pas à la Maison choisie."})
        if self.period and self.period.lower and self.period.upper and self.period.upper <= self.period.lower:
            raise ValidationError({"period": "La fin doit suivre le début."})
