import datetime

from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.validators import multiline_text, single_line_text

from .enums import Equipment, Weekday

insee_code_validator = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", "Le code INSEE compte cinq caractères (ex. 52269).")
postal_code_validator = RegexValidator(r"^\d{5}$", "Le code postal compte cinq chiffres.")
phone_validator = RegexValidator(
    r"^(\+33 ?|0)[1-9]( ?\d{2}){4}$", "Saisissez un numéro de téléphone français, par exemple 03 25 32 88 88."
)


class Commune(models.Model):
    """A French commune from the Code officiel géographique (reference list, see maisons/data/README.md)."""

    code_insee = models.CharField("code INSEE", max_length=5, primary_key=True, validators=[insee_code_validator])
    name = models.CharField("nom", max_length=100, validators=[single_line_text])
    departement = models.CharField("département", max_length=3, db_index=True)
    region = models.CharField("région", max_length=3)
    postal_codes = ArrayField(models.CharField(max_length=5), verbose_name="codes postaux", default=list)
    population = models.PositiveIntegerField("population", null=True, blank=True)
    epci_siren = models.CharField("SIREN de l’EPCI", max_length=9, blank=True)
    epci_name = models.CharField("EPCI", max_length=200, blank=True, validators=[single_line_text])

    class Meta:
        verbose_name = "commune"
        ordering = ["name", "code_insee"]
        indexes = [models.Index(fields=["name"])]

    def __str__(self):
        return f"{self.name} ({self.departement})"


class MaisonQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def with_schedule(self):
        """Load what `is_open_at` needs in two queries, whatever the number of Maisons."""
        today = timezone.localdate()
        return self.select_related("commune").prefetch_related(
            "opening_hours",
            models.Prefetch(
                "closures",
                queryset=ExceptionalClosure.objects.filter(end_date__gte=today).order_by("start_date"),
                to_attr="current_closures",
            ),
        )


class Maison(models.Model):
    name = models.CharField("nom", max_length=150, unique=True, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=80, unique=True)
    description = models.TextField("présentation", blank=True, validators=[multiline_text])
    address = models.CharField("adresse", max_length=200, validators=[single_line_text])
    postal_code = models.CharField("code postal", max_length=5, validators=[postal_code_validator])
    commune = models.ForeignKey(Commune, verbose_name="commune", on_delete=models.PROTECT, related_name="maisons")
    latitude = models.DecimalField(
        "latitude", max_digits=8, decimal_places=6, validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    longitude = models.DecimalField(
        "longitude", max_digits=9, decimal_places=6, validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField("adresse électronique", blank=True)
    accessibility = models.TextField(
        "accessibilité",
        blank=True,
        help_text="Accès PMR, stationnement, transports, aides à l’accueil.",
        validators=[multiline_text],
    )
    is_published = models.BooleanField("publiée", default=False)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = MaisonQuerySet.as_manager()

    class Meta:
        verbose_name = "Maison du Département"
        verbose_name_plural = "Maisons du Département"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("maisons:detail", kwargs={"slug": self.slug})

    def closure_on(self, day: datetime.date):
        closures = getattr(self, "current_closures", None)
        if closures is None:
            closures = self.closures.filter(end_date__gte=day)
        return next((c for c in closures if c.start_date <= day <= c.end_date), None)

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Open at `moment` (aware): inside an opening range of that weekday and not on an exceptional closure."""
        local = timezone.localtime(moment)
        if self.closure_on(local.date()):
            return False
        now = local.time()
        return any(h.weekday == local.weekday() and h.opens_at <= now < h.closes_at for h in self.opening_hours.all())

    def hours_by_weekday(self) -> list[tuple[str, list["OpeningHours"]]]:
        """[(“lundi”, [ranges…]), …] for the seven days, Monday first, from the prefetched hours."""
        ranges = sorted(self.opening_hours.all(), key=lambda h: (h.weekday, h.opens_at))
        return [(day.label, [h for h in ranges if h.weekday == day.value]) for day in Weekday]


class OpeningHours(models.Model):
    """One opening range of a weekday; several a day (morning and afternoon)."""

    maison = models.ForeignKey(Maison, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField("jour", choices=Weekday.choices)
    opens_at = models.TimeField("ouverture")
    closes_at = models.TimeField("fermeture")

    class Meta:
        verbose_name = "horaire d’ouverture"
        verbose_name_plural = "horaires d’ouverture"
        ordering = ["maison", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="openinghours_closes_after_opening",
                violation_error_message="L’heure de fermeture doit suivre l’heure d’ouverture.",
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"


class ExceptionalClosure(models.Model):
    maison = models.ForeignKey(Maison, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField("premier jour")
    end_date = models.DateField("dernier jour")
    reason = models.CharField(
        "motif",
        max_length=200,
        help_text="Affiché au public, par exemple « Jour férié ».",
        validators=[single_line_text],
    )

    class Meta:
        verbose_name = "fermeture exceptionnelle"
        verbose_name_plural = "fermetures exceptionnelles"
        ordering = ["maison", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="closure_ends_after_start",
                violation_error_message="Le dernier jour de fermeture ne peut précéder le premier.",
            ),
        ]

    def __str__(self):
        if self.start_date == self.end_date:
            return f"{self.maison} fermée le {self.start_date:%d/%m/%Y} ({self.reason})"
        return f"{self.maison} fermée du {self.start_date:%d/%m/%Y} au {self.end_date:%d/%m/%Y} ({self.reason})"


class Room(models.Model):
    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField("nom", max_length=100, validators=[single_line_text])
    capacity = models.PositiveSmallIntegerField("capacité (personnes)", validators=[MinValueValidator(1)])
    equipment = ArrayField(
        models.CharField(max_length=30, choices=Equipment.choices),
        verbose_name="équipements",
        default=list,
        blank=True,
    )
    step_free_access = models.BooleanField("accès de plain-pied", default=False)
    description = models.TextField("description", blank=True, validators=[multiline_text])
    is_active = models.BooleanField("réservable", default=True)

    class Meta:
        verbose_name = "salle"
        ordering = ["maison", "name"]
        constraints = [models.UniqueConstraint(fields=["maison", "name"], name="room_unique_name_per_maison")]

    def __str__(self):
        return f"{self.name} ({self.maison})"

    def get_equipment_display(self) -> list[str]:
        return [Equipment(value).label for value in self.equipment if value in Equipment.values]


class Direction(models.Model):
    """A service of the Département (routes, collèges, autonomie…) that visitors are oriented to."""

    name = models.CharField("nom", max_length=200, unique=True, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=80, unique=True)
    acronym = models.CharField("sigle", max_length=20, blank=True, validators=[single_line_text])
    missions = models.TextField("missions", blank=True, validators=[multiline_text])
    mailbox = models.EmailField("boîte fonctionnelle", help_text="Reçoit les orientations et les rappels.")
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[phone_validator])
    is_active = models.BooleanField("active", default=True)

    class Meta:
        verbose_name = "direction du Département"
        verbose_name_plural = "directions du Département"
        ordering = ["name"]

    def __str__(self):
        return self.name
