import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, RangeOperators
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from core.validators import multiline_text, single_line_text

from . import opening
from .enums import Equipment, OutsideHours, Weekday
from .ranges import DayAt, OnFixedDay, OrderedTimestampRange

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
        """Load what `schedule()` and `is_open_at` need in two queries, whatever the number of Maisons.

        Closures that ended before yesterday are left out: yesterday's may still cover this night.
        """
        since = timezone.localdate() - datetime.timedelta(days=1)
        return self.select_related("commune").prefetch_related(
            "opening_hours",
            models.Prefetch(
                "closures",
                queryset=ExceptionalClosure.objects.filter(end_date__gte=since).order_by("start_date", "start_time"),
                to_attr="current_closures",
            ),
        )

    def for_public_page(self):
        """What a Maison's page shows, in a fixed number of queries: the schedule, the bookable rooms, the photos
        with their images and renditions (six queries, whatever the number of rows)."""
        return self.with_schedule().prefetch_related(
            models.Prefetch("rooms", queryset=Room.objects.filter(is_active=True), to_attr="public_rooms"),
            models.Prefetch(
                "photos",
                queryset=MaisonPhoto.objects.select_related("image")
                .prefetch_related("image__renditions")
                .order_by("order", "pk"),
                to_attr="public_photos",
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

    def schedule(self, today: datetime.date | None = None) -> opening.Schedule:
        """The weekly hours, closures and public holidays (maisons/opening.py), from the rows `with_schedule` loads.

        Without that prefetch, closures are read from the database (one query).
        """
        closures = getattr(self, "current_closures", None)
        if closures is None:
            closures = self.closures.all()
        return opening.Schedule(
            weekly=[(h.weekday, h.opens_at, h.closes_at) for h in self.opening_hours.all()],
            closures=[closure.as_period() for closure in closures],
            today=today,
        )

    def status_at(self, moment: datetime.datetime) -> opening.Status:
        """« Ouverte — ferme à 17 h 00 », « Fermée — ouvre lundi à 8 h 30 »… at the aware `moment`."""
        return self.schedule().status_at(moment)

    def is_open_at(self, moment: datetime.datetime) -> bool:
        """Open at `moment` (aware): in a range of its weekday, not on a public holiday nor in a closure."""
        return self.schedule().is_open_at(moment)

    def weekly_hours(self, schedule: opening.Schedule | None = None) -> list[tuple[int, str, list[str]]]:
        """[(0, "lundi", ["8 h 30 – 12 h 00", "13 h 30 – 17 h 00"]), …, (6, "dimanche", [])]."""
        schedule = schedule or self.schedule()
        return [
            (day.value, day.label, [opening.ranges_text([item]) for item in schedule.regular(day.value)])
            for day in Weekday
        ]

    @property
    def openstreetmap_url(self) -> str:
        """A link to the Maison on OpenStreetMap: the page loads no map, the reader opens it if they wish."""
        lat, lon = f"{self.latitude:f}", f"{self.longitude:f}"
        return f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"

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
            # btree_gist (events/migrations/0001_initial.py) lets GiST compare the Maison and the weekday.
            ExclusionConstraint(
                name="openinghours_no_overlap",
                expressions=[
                    ("maison", RangeOperators.EQUAL),
                    ("weekday", RangeOperators.EQUAL),
                    (OrderedTimestampRange(OnFixedDay("opens_at"), OnFixedDay("closes_at")), RangeOperators.OVERLAPS),
                ],
                violation_error_message="Cette plage horaire chevauche une autre plage du même jour.",
            ),
        ]

    def __str__(self):
        opens, closes = opening.format_time(self.opens_at), opening.format_time(self.closes_at)
        return f"{self.get_weekday_display()} {opens} – {closes}"


class ExceptionalClosure(models.Model):
    """A closed period: whole days, or part of a day with a start and/or end time (« de 14 h 00 à 17 h 00 »)."""

    maison = models.ForeignKey(Maison, on_delete=models.CASCADE, related_name="closures")
    start_date = models.DateField("premier jour")
    start_time = models.TimeField(
        "à partir de", null=True, blank=True, help_text="Laissez vide pour fermer dès le début du premier jour."
    )
    end_date = models.DateField("dernier jour")
    end_time = models.TimeField(
        "jusqu’à", null=True, blank=True, help_text="Laissez vide pour fermer jusqu’à la fin du dernier jour."
    )
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
            models.CheckConstraint(
                condition=models.Q(end_date__gt=models.F("start_date"))
                | models.Q(start_time__isnull=True)
                | models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="closure_end_time_after_start_time",
                violation_error_message=(
                    "Sur une seule journée, l’heure de réouverture doit suivre l’heure de fermeture."
                ),
            ),
            ExclusionConstraint(
                name="closure_no_overlap",
                expressions=[
                    ("maison", RangeOperators.EQUAL),
                    (
                        OrderedTimestampRange(
                            DayAt("start_date", "start_time", default="00:00"),
                            DayAt("end_date", "end_time", default="24:00"),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_message="Cette fermeture chevauche une autre fermeture de la même Maison.",
            ),
        ]

    def __str__(self):
        return f"{self.maison} fermée {self.period_text} ({self.reason})"

    @property
    def starts_at(self) -> datetime.datetime:
        """The first closed instant, Paris wall-clock (naive)."""
        return datetime.datetime.combine(self.start_date, self.start_time or datetime.time())

    @property
    def ends_at(self) -> datetime.datetime:
        """The reopening instant, Paris wall-clock (naive): the next midnight when the last day is closed whole."""
        if self.end_time is None:
            return datetime.datetime.combine(self.end_date + datetime.timedelta(days=1), datetime.time())
        return datetime.datetime.combine(self.end_date, self.end_time)

    @property
    def is_partial(self) -> bool:
        return self.start_time is not None or self.end_time is not None

    @property
    def period_text(self) -> str:
        """« le mardi 8 décembre 2026 de 14 h 00 à 17 h 00 », « du 24 décembre au 26 décembre 2026 »…"""
        start = opening.format_day(self.start_date, year=self.start_date.year != self.end_date.year)
        end = opening.format_day(self.end_date, year=True)
        start_time = f" à {opening.format_time(self.start_time)}" if self.start_time else ""
        end_time = f" à {opening.format_time(self.end_time)}" if self.end_time else ""
        if self.start_date == self.end_date:
            if self.start_time and self.end_time:
                times = f" de {opening.format_time(self.start_time)} à {opening.format_time(self.end_time)}"
            elif self.start_time:
                times = f" à partir de {opening.format_time(self.start_time)}"
            elif self.end_time:
                times = f" jusqu’à {opening.format_time(self.end_time)}"
            else:
                times = ""
            return f"le {end}{times}"
        return f"du {start}{start_time} au {end}{end_time}"

    def as_period(self) -> opening.Closure:
        return opening.Closure(start=self.starts_at, end=self.ends_at, reason=self.reason)


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
    # Booking settings (events/reservations.py applies them).
    requires_approval = models.BooleanField(
        "réservation soumise à validation",
        default=False,
        help_text="Une demande attend l’accord de la cheffe ou du chef de projet ; le créneau est retenu d’ici là.",
    )
    approval_delay = models.PositiveSmallIntegerField(
        "délai de réponse (heures)",
        default=72,
        validators=[MinValueValidator(1), MaxValueValidator(24 * 60)],
        help_text="Une demande sans réponse après ce délai (ou au début du créneau) expire et libère le créneau.",
    )
    booking_horizon_days = models.PositiveSmallIntegerField(
        "réservable jusqu’à (jours à l’avance)",
        default=180,
        validators=[MinValueValidator(1), MaxValueValidator(3 * 365)],
    )
    outside_hours = models.CharField(
        "réservation hors des horaires d’ouverture",
        max_length=10,
        choices=OutsideHours.choices,
        default=OutsideHours.REFUSE,
    )

    class Meta:
        verbose_name = "salle"
        ordering = ["maison", "name"]
        constraints = [models.UniqueConstraint(fields=["maison", "name"], name="room_unique_name_per_maison")]

    def __str__(self):
        return f"{self.name} ({self.maison})"

    def get_equipment_display(self) -> list[str]:
        return [Equipment(value).label for value in self.equipment if value in Equipment.values]


class RoomBlockQuerySet(models.QuerySet):
    def overlapping(self, start: datetime.datetime, end: datetime.datetime):
        """Blocks that share at least an instant with [start, end) (half-open: touching is no overlap)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)


class RoomBlock(models.Model):
    """A period when a room cannot be booked (works, closure, reserved for the Département), set by the project
    lead; events/reservations.py refuses bookings that overlap one."""

    room = models.ForeignKey(Room, verbose_name="salle", on_delete=models.CASCADE, related_name="blocks")
    starts_at = models.DateTimeField("début")
    ends_at = models.DateTimeField("fin")
    reason = models.CharField(
        "motif",
        max_length=200,
        help_text="Montré aux personnes qui réservent, par exemple « Travaux de peinture ».",
        validators=[single_line_text],
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = RoomBlockQuerySet.as_manager()

    class Meta:
        verbose_name = "indisponibilité de salle"
        verbose_name_plural = "indisponibilités de salles"
        ordering = ["room", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="roomblock_ends_after_start",
                violation_error_message="La fin de l’indisponibilité doit suivre son début.",
            ),
        ]
        indexes = [models.Index(fields=["room", "ends_at"])]

    def __str__(self):
        return f"{self.room.name} indisponible {self.period_text} ({self.reason})"

    @property
    def period_text(self) -> str:
        """« du lundi 7 décembre à 8 h 00 au vendredi 11 décembre 2026 à 18 h 00 »."""
        start, end = (timezone.localtime(value) for value in (self.starts_at, self.ends_at))
        if start.date() == end.date():
            return (
                f"le {opening.format_day(start.date(), year=True)} "
                f"de {opening.format_time(start)} à {opening.format_time(end)}"
            )
        return (
            f"du {opening.format_day(start.date(), year=start.year != end.year)} à {opening.format_time(start)} "
            f"au {opening.format_day(end.date(), year=True)} à {opening.format_time(end)}"
        )


class MaisonPhoto(models.Model):
    """A photo on a Maison's public page: a Wagtail image (served as renditions, never the original) and its text."""

    maison = models.ForeignKey(Maison, verbose_name="Maison", on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", verbose_name="image", on_delete=models.PROTECT, related_name="maison_photos"
    )
    alt_text = models.CharField(
        "texte alternatif",
        max_length=250,
        blank=True,
        help_text="Ce que montre la photo, pour les personnes qui ne la voient pas.",
        validators=[single_line_text],
    )
    is_decorative = models.BooleanField(
        "photo décorative", default=False, help_text="Elle n’apporte aucune information : pas de texte alternatif."
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "photo de Maison"
        verbose_name_plural = "photos de Maison"
        ordering = ["maison", "order", "pk"]
        constraints = [
            # RGAA 1.1/1.2: an informative image has a text alternative; a decorative one is marked as such.
            models.CheckConstraint(
                condition=models.Q(is_decorative=True) | ~models.Q(alt_text=""),
                name="maisonphoto_alt_text_unless_decorative",
                violation_error_message="Décrivez la photo (texte alternatif) ou indiquez qu’elle est décorative.",
            ),
        ]

    def __str__(self):
        return f"{self.alt_text or 'Photo décorative'} ({self.maison})"


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
