from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateTimeRangeField, RangeOperators
from django.contrib.postgres.indexes import GistIndex
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone

from core.uploads import IMAGE_TYPES, MB, FileContentValidator, RandomFilename
from core.validators import multiline_text, single_line_text
from maisons.models import Direction, Maison, Room
from partenaires.models import Partner

from .enums import (
    HOLDING_STATUSES,
    Audience,
    CategoryKind,
    EventStatus,
    OccupancyKind,
    OccupancyStatus,
    Organiser,
)

UID_DOMAIN = "maisons.haute-marne.fr"


class Category(models.Model):
    name = models.CharField("nom", max_length=100, unique=True, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=80, unique=True)
    kind = models.CharField("nature", max_length=30, choices=CategoryKind.choices, default=CategoryKind.PUBLIC_EVENT)

    class Meta:
        verbose_name = "catégorie"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def occupancy_kind(self) -> str:
        """What an occurrence of an event of this category is in the calendar."""
        if self.kind == CategoryKind.PARTNER_PERMANENCE:
            return OccupancyKind.PERMANENCE
        if self.kind == CategoryKind.INTERNAL_MEETING:
            return OccupancyKind.MEETING
        return OccupancyKind.EVENT


class Event(models.Model):
    """What happens, once or on a recurrence rule: its occurrences are Occupancy rows (events/recurrence.py).

    `start` and `end` are the first occurrence's; `rrule` is an RFC 5545 RRULE (without the "RRULE:" prefix),
    blank for a single date, read in Europe/Paris wall-clock time so that 10:00 stays 10:00 across the
    daylight-saving changes; `exdates` are the original starts of the occurrences removed from the series.
    """

    title = models.CharField("intitulé", max_length=200, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=80, unique=True)
    description = models.TextField("description", blank=True, validators=[multiline_text])
    category = models.ForeignKey(
        Category, verbose_name="catégorie", on_delete=models.PROTECT, related_name="events", null=True, blank=True
    )
    audience = models.CharField("public visé", max_length=20, choices=Audience.choices, default=Audience.PUBLIC)
    status = models.CharField("statut", max_length=20, choices=EventStatus.choices, default=EventStatus.DRAFT)
    cancellation_reason = models.CharField(
        "motif d’annulation (public)", max_length=300, blank=True, validators=[single_line_text]
    )
    organiser = models.CharField(
        "organisé par", max_length=20, choices=Organiser.choices, default=Organiser.PROJECT_LEAD
    )
    organiser_direction = models.ForeignKey(
        Direction,
        verbose_name="direction organisatrice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
    )
    partner = models.ForeignKey(
        Partner,
        verbose_name="partenaire",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    directions = models.ManyToManyField(
        Direction, verbose_name="directions associées", blank=True, related_name="events"
    )
    officials = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name="élu·es associé·es", blank=True, related_name="events"
    )
    image = models.ImageField(
        "image",
        blank=True,
        upload_to=RandomFilename("evenements"),
        validators=[FileContentValidator(IMAGE_TYPES, max_size=2 * MB)],
        help_text="PNG, JPEG, GIF ou WebP, 2 Mo au plus.",
    )
    image_alt = models.CharField(
        "texte alternatif de l’image", max_length=200, blank=True, validators=[single_line_text]
    )
    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.PROTECT, related_name="events")
    room = models.ForeignKey(
        Room, verbose_name="salle", on_delete=models.PROTECT, related_name="events", null=True, blank=True
    )
    start = models.DateTimeField("début")
    end = models.DateTimeField("fin")
    all_day = models.BooleanField("toute la journée", default=False)
    rrule = models.CharField(
        "règle de récurrence (RFC 5545)", max_length=300, blank=True, validators=[MaxLengthValidator(300)]
    )
    exdates = ArrayField(models.DateTimeField(), verbose_name="occurrences retirées", default=list, blank=True)
    capacity = models.PositiveIntegerField("nombre de places", null=True, blank=True)
    registration_enabled = models.BooleanField("inscription", default=False)
    registration_closes_at = models.DateTimeField("clôture des inscriptions", null=True, blank=True)
    waiting_list = models.BooleanField("liste d’attente", default=False)
    sequence = models.PositiveIntegerField("version (SEQUENCE)", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créé par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "événement"
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="event_end_after_start",
                violation_error_message="La fin doit suivre le début.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EventStatus.CANCELLED) | ~models.Q(cancellation_reason=""),
                name="event_cancelled_has_reason",
                violation_error_message="Un événement annulé dit pourquoi au public.",
            ),
            models.CheckConstraint(
                condition=~models.Q(organiser=Organiser.PARTNER) | models.Q(partner__isnull=False),
                name="event_partner_organiser_named",
                violation_error_message="Choisissez le partenaire organisateur.",
            ),
            models.CheckConstraint(
                condition=~models.Q(organiser=Organiser.DIRECTION) | models.Q(organiser_direction__isnull=False),
                name="event_direction_organiser_named",
                violation_error_message="Choisissez la direction organisatrice.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def occupancy_kind(self) -> str:
        return self.category.occupancy_kind if self.category_id else OccupancyKind.EVENT

    @property
    def is_public(self) -> bool:
        return self.audience == Audience.PUBLIC and self.status != EventStatus.DRAFT

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    def clean(self):
        errors = {}
        if self.room_id and self.maison_id and self.room.maison_id != self.maison_id:
            errors["room"] = "Cette salle n’appartient pas à la Maison choisie."
        if self.start and self.end and self.end <= self.start:
            errors["end"] = "La fin doit suivre le début."
        if self.category_id and self.category.kind == CategoryKind.PARTNER_PERMANENCE and not self.partner_id:
            errors["partner"] = "Une permanence de partenaire nomme son partenaire."
        if self.status == EventStatus.CANCELLED and not self.cancellation_reason:
            errors["cancellation_reason"] = "Un événement annulé dit pourquoi au public."
        if self.image and not self.image_alt:
            errors["image_alt"] = "Décrivez l’image pour les personnes qui ne la voient pas."
        if errors:
            raise ValidationError(errors)


class OccupancyQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=OccupancyStatus.CONFIRMED)

    def holding(self):
        """The occupancies that hold their slot: confirmed ones and pending requests."""
        return self.filter(status__in=HOLDING_STATUSES)

    def upcoming(self):
        return self.confirmed().filter(period__endswith__gt=timezone.now())


class Occupancy(models.Model):
    """Anything that occupies a Maison in time: one occurrence of an event, a permanence or a meeting, or an
    official's booking.

    Invariant 1: a room is never double-booked. The exclusion constraint below makes PostgreSQL refuse two
    occupancies of the same room whose periods overlap while both hold their slot (pending or confirmed), even
    under concurrent requests. The database also holds that the room belongs to the Maison (a composite foreign
    key, migration 0004) and what each kind needs (a reservation a holder and a room, a permanence a partner, an
    event occurrence its Event). Book, move and cancel through events/services.py, which turns a conflict into
    `Conflict` and tells `events.signals.occupancy_changed` once committed.
    """

    kind = models.CharField("nature", max_length=20, choices=OccupancyKind.choices)
    status = models.CharField(
        "statut", max_length=20, choices=OccupancyStatus.choices, default=OccupancyStatus.CONFIRMED
    )
    event = models.ForeignKey(
        Event,
        verbose_name="événement",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="occurrences",
    )
    title = models.CharField("intitulé", max_length=200, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=120, unique=True, null=True, blank=True)
    description = models.TextField("description", blank=True, validators=[multiline_text])
    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.PROTECT, related_name="occupancies")
    room = models.ForeignKey(
        Room, verbose_name="salle", on_delete=models.PROTECT, related_name="occupancies", null=True, blank=True
    )
    period = DateTimeRangeField("période")
    all_day = models.BooleanField("toute la journée", default=False)
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
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="réservée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="booked_occupancies",
    )
    purpose = models.CharField("objet", max_length=300, blank=True, validators=[single_line_text])
    expected_attendance = models.PositiveSmallIntegerField("nombre de personnes attendues", null=True, blank=True)
    cancellation_reason = models.CharField(
        "motif d’annulation", max_length=300, blank=True, validators=[single_line_text]
    )
    sequence = models.PositiveIntegerField("version (SEQUENCE)", default=0)
    recurrence_id = models.DateTimeField("début d’origine dans la série (RECURRENCE-ID)", null=True, blank=True)
    is_exception = models.BooleanField(
        "modifiée à part de sa série",
        default=False,
        help_text="Une occurrence modifiée seule n’est plus régénérée depuis la règle de sa série.",
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
                condition=models.Q(status__in=HOLDING_STATUSES, room__isnull=False),
                violation_error_message="Cette salle est déjà occupée sur ce créneau.",
            ),
            models.CheckConstraint(
                condition=~models.Q(period__isempty=True) & models.Q(period__lower_inf=False, period__upper_inf=False),
                name="occupancy_period_bounded",
                violation_error_message="La fin doit suivre le début.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OccupancyKind.RESERVATION)
                | models.Q(holder__isnull=False, room__isnull=False),
                name="occupancy_reservation_has_holder_and_room",
                violation_error_message="Une réservation a une ou un titulaire et une salle.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OccupancyKind.PERMANENCE) | models.Q(partner__isnull=False),
                name="occupancy_permanence_has_partner",
                violation_error_message="Une permanence nomme son partenaire.",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OccupancyKind.EVENT) | models.Q(event__isnull=False),
                name="occupancy_event_has_event",
                violation_error_message="Une occurrence d’événement appartient à un événement.",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OccupancyKind.EVENT) | models.Q(room__isnull=False),
                name="occupancy_room_unless_event",
                violation_error_message="Choisissez une salle.",
            ),
        ]
        indexes = [
            models.Index(fields=["maison", "status"]),
            models.Index(fields=["event", "recurrence_id"], name="occupancy_event_recurrence"),
            # The agenda, the feeds and the planning read a window of time (`period && [start, end)`): without it,
            # every page scans the whole calendar, seasons past included (issue 9's benchmark: 50,000 rows).
            GistIndex(fields=["period"], name="occupancy_period"),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    @property
    def uid(self) -> str:
        """Stable across moves and edits: what calendar applications match a change on (RFC 5545 UID)."""
        return f"occupation-{self.pk}@{UID_DOMAIN}"

    @property
    def holds_slot(self) -> bool:
        return self.status in HOLDING_STATUSES

    def clean(self):
        if self.room_id and self.maison_id and self.room.maison_id != self.maison_id:
            raise ValidationError({"room": "Cette salle n’appartient pas à la Maison choisie."})
        if self.period and self.period.lower and self.period.upper and self.period.upper <= self.period.lower:
            raise ValidationError({"period": "La fin doit suivre le début."})
