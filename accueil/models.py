import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from core.validators import multiline_text, single_line_text
from maisons.models import Commune, Direction, Maison
from partenaires.models import Partner, Theme

from .enums import (
    AgeBand,
    Channel,
    DurationBand,
    MotifGroup,
    Outcome,
    ReferralAnswer,
    Residence,
    Satisfaction,
    Sex,
)

NOTE_MAX_LENGTH = 500
OTHER_MOTIF_MAX_LENGTH = 150


def _in_choices(field: str, choices: type[models.TextChoices], *, blank: bool = False) -> models.Q:
    values = list(choices.values) + ([""] if blank else [])
    return models.Q(**{f"{field}__in": values})


class MotifQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Motif(models.Model):
    """A reason for a visit, from the reference list kept by the project lead and administrators.

    A reason in use is retired (`is_active=False`), never deleted (the visits' foreign keys PROTECT it), so that
    history stays true. `theme` links it to the partner directory's reference list of themes, where one matches.
    """

    label = models.CharField("libellé", max_length=150, unique=True, validators=[single_line_text])
    group = models.CharField("groupe", max_length=20, choices=MotifGroup.choices, default=MotifGroup.DEPARTEMENT)
    theme = models.ForeignKey(
        Theme,
        verbose_name="thématique de l’annuaire",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="motifs",
        help_text="Pour retrouver les partenaires qui traitent ce motif.",
    )
    position = models.PositiveSmallIntegerField("ordre d’affichage", default=0)
    is_active = models.BooleanField("proposé à la saisie", default=True)

    objects = MotifQuerySet.as_manager()

    class Meta:
        verbose_name = "motif de visite"
        verbose_name_plural = "motifs de visite"
        ordering = ["position", "label"]
        constraints = [
            models.CheckConstraint(
                condition=_in_choices("group", MotifGroup),
                name="motif_group_valid",
                violation_error_message="Choisissez un groupe de la liste.",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def is_other(self) -> bool:
        """« Autre » asks for a short text saying what the request was."""
        return self.group == MotifGroup.OTHER


class VisitQuerySet(models.QuerySet):
    def on_day(self, day: datetime.date):
        """Visits of a local (Europe/Paris) day, as a range on `occurred_at` so that the index serves it
        (`occurred_at__date` casts every row and cannot use it)."""
        start, end = local_day_bounds(day)
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)

    def between_days(self, first: datetime.date, last: datetime.date):
        """Visits from the start of local day `first` to the end of local day `last`."""
        return self.filter(occurred_at__gte=local_day_bounds(first)[0], occurred_at__lt=local_day_bounds(last)[1])

    def for_maisons(self, maisons):
        return self.filter(maison__in=maisons)


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[day 00:00, next day 00:00) in the current time zone, aware; 23 or 25 hours long on a DST change."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return start, end


class VisitManager(models.Manager.from_queryset(VisitQuerySet)):
    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class Visit(models.Model):
    """One contact with a visitor. Invariant 3: no name is stored; the optional note is purged after a delay.

    Deleting from the reception screen is a soft delete (`deleted_at`), undoable for a few minutes
    (accueil/services.py); `Visit.objects` never returns a deleted visit, `Visit.all_objects` does. A visit's
    reasons (`motifs`, at least one) and its date (never in the future) are checked by the service, which every
    entry goes through; the rest is held by the database constraints below.
    """

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
    motifs = models.ManyToManyField(Motif, verbose_name="motifs", through="VisitMotif", related_name="visits")
    other_motif = models.CharField(
        "autre motif", max_length=OTHER_MOTIF_MAX_LENGTH, blank=True, validators=[single_line_text]
    )
    outcome = models.CharField("suite donnée", max_length=20, choices=Outcome.choices, default=Outcome.ANSWERED)
    direction = models.ForeignKey(
        Direction, verbose_name="direction", on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, null=True, blank=True, related_name="visits"
    )
    residence = models.CharField("résidence", max_length=20, choices=Residence.choices, default=Residence.NOT_GIVEN)
    commune = models.ForeignKey(
        Commune,
        verbose_name="commune de résidence",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    age_band = models.CharField("tranche d’âge", max_length=10, choices=AgeBand.choices, blank=True)
    sex = models.CharField("sexe", max_length=10, choices=Sex.choices, blank=True)
    duration_band = models.CharField(
        "durée", max_length=10, choices=DurationBand.choices, default=DurationBand.FROM_5_TO_15
    )
    first_visit = models.BooleanField("première visite", null=True, blank=True)
    satisfaction = models.CharField("satisfaction", max_length=15, choices=Satisfaction.choices, blank=True)
    note = models.TextField(
        "remarque",
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        help_text="Facultatif, sans nom ni information sensible ; effacé après un délai.",
        validators=[multiline_text],
    )
    token = models.UUIDField(
        "jeton de saisie",
        null=True,
        blank=True,
        unique=True,
        editable=False,
        help_text="Envoyé avec le formulaire : une double validation n’enregistre qu’une visite.",
    )
    created_at = models.DateTimeField("saisie le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    deleted_at = models.DateTimeField("supprimée le", null=True, blank=True, db_index=True)

    objects = VisitManager()
    all_objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = "visite"
        ordering = ["-occurred_at"]
        base_manager_name = "all_objects"
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
            models.CheckConstraint(
                condition=models.Q(direction__isnull=True) | models.Q(partner__isnull=True),
                name="visit_one_destination",
                violation_error_message="Orientez vers une direction ou vers un partenaire, pas les deux.",
            ),
            models.CheckConstraint(
                condition=models.Q(residence=Residence.COMMUNE, commune__isnull=False)
                | (~models.Q(residence=Residence.COMMUNE) & models.Q(commune__isnull=True)),
                name="visit_commune_with_residence",
                violation_error_message="Indiquez la commune de résidence, ou « hors de France », ou « non "
                "renseignée ».",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH),
                name="visit_note_max_length",
                violation_error_message=f"La remarque ne dépasse pas {NOTE_MAX_LENGTH} caractères.",
            ),
            models.CheckConstraint(
                condition=_in_choices("channel", Channel),
                name="visit_channel_valid",
                violation_error_message="Choisissez un canal de la liste.",
            ),
            models.CheckConstraint(
                condition=_in_choices("outcome", Outcome),
                name="visit_outcome_valid",
                violation_error_message="Choisissez une suite de la liste.",
            ),
            models.CheckConstraint(
                condition=_in_choices("residence", Residence),
                name="visit_residence_valid",
                violation_error_message="Choisissez une résidence de la liste.",
            ),
            models.CheckConstraint(
                condition=_in_choices("age_band", AgeBand, blank=True),
                name="visit_age_band_valid",
                violation_error_message="Choisissez une tranche d’âge de la liste.",
            ),
            models.CheckConstraint(
                condition=_in_choices("sex", Sex, blank=True),
                name="visit_sex_valid",
                violation_error_message="Choisissez une valeur de la liste.",
            ),
            models.CheckConstraint(
                condition=_in_choices("duration_band", DurationBand),
                name="visit_duration_band_valid",
                violation_error_message="Choisissez une durée de la liste.",
            ),
            models.CheckConstraint(
                condition=_in_choices("satisfaction", Satisfaction, blank=True),
                name="visit_satisfaction_valid",
                violation_error_message="Choisissez une réponse de la liste.",
            ),
        ]
        indexes = [models.Index(fields=["maison", "occurred_at"])]

    def __str__(self):
        return f"{self.get_channel_display()} – visite du {timezone.localtime(self.occurred_at):%d/%m/%Y %H:%M}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def has_referral(self) -> bool:
        return hasattr(self, "referral")


class VisitMotif(models.Model):
    """A reason of a visit. PROTECT: a reason in use is retired, never deleted, so that history stays true."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="+")
    motif = models.ForeignKey(Motif, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "motif d’une visite"
        verbose_name_plural = "motifs des visites"
        constraints = [models.UniqueConstraint(fields=["visit", "motif"], name="visit_motif_unique")]
        indexes = [models.Index(fields=["motif"], name="accueil_visitmotif_motif")]

    def __str__(self):
        return f"{self.visit_id} – {self.motif_id}"


class Referral(models.Model):
    """A visitor put in touch with a partner or a direction, with their explicit consent (the consent text and its
    version are recorded). The visitor's name, contact and need are personal data, erased after
    VISIT_REFERRAL_RETENTION_DAYS; the referral itself (sent or not, answered or not) stays for the figures."""

    visit = models.OneToOneField(Visit, verbose_name="visite", on_delete=models.CASCADE, related_name="referral")
    partner = models.ForeignKey(
        Partner, verbose_name="partenaire", on_delete=models.PROTECT, null=True, blank=True, related_name="referrals"
    )
    direction = models.ForeignKey(
        Direction,
        verbose_name="direction",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    recipient_email = models.EmailField("adresse du destinataire", blank=True)
    visitor_name = models.CharField("nom du visiteur", max_length=150, blank=True, validators=[single_line_text])
    visitor_contact = models.CharField("comment le joindre", max_length=150, blank=True, validators=[single_line_text])
    need = models.CharField("besoin", max_length=300, blank=True, validators=[single_line_text])
    consent_version = models.CharField("version du texte de consentement", max_length=20)
    consent_text = models.TextField("texte de consentement lu au visiteur")
    consented_at = models.DateTimeField("consentement recueilli le")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    follow_up_at = models.DateTimeField("relance de l’agent le")
    sent_at = models.DateTimeField("envoyée le", null=True, blank=True)
    follow_up_sent_at = models.DateTimeField("relance envoyée le", null=True, blank=True)
    answer = models.CharField(
        "réponse obtenue", max_length=20, choices=ReferralAnswer.choices, default=ReferralAnswer.PENDING
    )
    answered_at = models.DateTimeField("suite notée le", null=True, blank=True)
    personal_data_erased_at = models.DateTimeField("données personnelles effacées le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    class Meta:
        verbose_name = "mise en relation"
        verbose_name_plural = "mises en relation"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(partner__isnull=False, direction__isnull=True)
                | models.Q(partner__isnull=True, direction__isnull=False),
                name="referral_one_destination",
                violation_error_message="Une mise en relation va à un partenaire ou à une direction.",
            ),
            models.CheckConstraint(
                condition=_in_choices("answer", ReferralAnswer),
                name="referral_answer_valid",
                violation_error_message="Choisissez une réponse de la liste.",
            ),
            models.CheckConstraint(
                condition=~models.Q(consent_version=""),
                name="referral_has_consent",
                violation_error_message="Le consentement du visiteur est nécessaire.",
            ),
        ]
        indexes = [
            models.Index(
                fields=["follow_up_at"],
                name="referral_follow_up_due",
                condition=models.Q(follow_up_sent_at__isnull=True),
            )
        ]

    def __str__(self):
        return f"Mise en relation du {timezone.localtime(self.created_at):%d/%m/%Y}"

    @property
    def destination(self):
        return self.partner or self.direction


def new_token() -> uuid.UUID:
    return uuid.uuid4()
