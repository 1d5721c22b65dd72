from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from core.uploads import IMAGE_TYPES, MB, FileContentValidator, RandomFilename
from core.validators import multiline_text, single_line_text
from maisons.models import Commune, phone_validator, postal_code_validator

from . import opening_hours as osm_hours
from .enums import AccessMode, Area, Audience, Fees, PartnerKind
from .validators import epci_code_validator, opening_hours_validator, siret_validator


class Theme(models.Model):
    """A theme of the directory: data·inclusion's thematic list (a category and its themes), loaded by a migration.

    The codes are data·inclusion's, so the open-data export needs no mapping; the labels are its French ones.
    """

    code = models.SlugField("code", max_length=120, unique=True)
    label = models.CharField("libellé", max_length=150, validators=[single_line_text])
    parent = models.ForeignKey(
        "self", verbose_name="catégorie", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    position = models.PositiveSmallIntegerField("ordre d’affichage", default=0)

    class Meta:
        verbose_name = "thématique"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class PartnerQuerySet(models.QuerySet):
    def published(self):
        """What the public directory lists: published and not retired."""
        return self.filter(is_published=True, retired_at__isnull=True)

    def active(self):
        return self.filter(retired_at__isnull=True)


class Partner(models.Model):
    """An organisation that orients or receives the public (CAF, CPAM, France Travail, associations…).

    A retired partner keeps its row (the reception log and the occupancies point to it) but leaves the directory.
    """

    name = models.CharField("nom", max_length=200, unique=True, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=80, unique=True)
    acronym = models.CharField("sigle", max_length=30, blank=True, validators=[single_line_text])
    siret = models.CharField(
        "numéro SIRET",
        max_length=14,
        blank=True,
        validators=[siret_validator],
        help_text="Facultatif : 14 chiffres, clé de contrôle comprise.",
    )
    kind = models.CharField("type", max_length=30, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    description = models.TextField("présentation", blank=True, validators=[multiline_text])
    website = models.URLField("site internet", blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField("adresse électronique", blank=True)
    address = models.CharField("adresse", max_length=200, blank=True, validators=[single_line_text])
    postal_code = models.CharField("code postal", max_length=5, blank=True, validators=[postal_code_validator])
    commune = models.ForeignKey(
        Commune, verbose_name="commune", on_delete=models.PROTECT, null=True, blank=True, related_name="partners"
    )
    opening_hours = models.CharField(
        "horaires d’ouverture",
        max_length=500,
        blank=True,
        validators=[opening_hours_validator],
        help_text="Syntaxe OpenStreetMap, par exemple : Mo-Fr 08:30-12:00,13:30-17:00; Sa 09:00-12:00; PH off",
    )
    themes = models.ManyToManyField(Theme, verbose_name="thématiques", blank=True, related_name="partners")
    logo = models.ImageField(
        "logo",
        blank=True,
        upload_to=RandomFilename("partenaires/logos"),
        validators=[FileContentValidator(IMAGE_TYPES, max_size=2 * MB)],
        help_text="PNG, JPEG, GIF ou WebP, 2 Mo au plus.",
    )
    logo_alt = models.CharField(
        "texte alternatif du logo",
        max_length=200,
        blank=True,
        validators=[single_line_text],
        help_text="Ce que dit le logo, en général le nom de l’organisme.",
    )
    holds_permanences = models.BooleanField("tient des permanences dans une Maison", default=False)
    is_published = models.BooleanField("publié", default=True)
    retired_at = models.DateTimeField("retiré le", null=True, blank=True)
    source = models.CharField(
        "source", max_length=200, blank=True, validators=[single_line_text], help_text="D’où vient la fiche."
    )
    last_verified_on = models.DateField("vérifiée le", null=True, blank=True)
    # French full text, accent-insensitive, kept up to date by partenaires.services (partner_reindex).
    search_vector = SearchVectorField(null=True, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["siret"],
                condition=~models.Q(siret=""),
                name="partner_siret_unique_when_present",
                violation_error_message="Un autre partenaire porte déjà ce numéro SIRET.",
            ),
            # RGAA 1.1: an informative image has a text alternative.
            models.CheckConstraint(
                condition=models.Q(logo="") | ~models.Q(logo_alt=""),
                name="partner_logo_has_alt_text",
                violation_error_message="Indiquez le texte alternatif du logo (en général le nom de l’organisme).",
            ),
        ]
        indexes = [GinIndex(fields=["search_vector"], name="partner_search_vector_gin")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partenaires:detail", kwargs={"slug": self.slug})

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def is_listed(self) -> bool:
        """Shown in the public directory."""
        return self.is_published and not self.is_retired

    @property
    def display_name(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym and self.acronym not in self.name else self.name

    def hours(self) -> osm_hours.Week:
        try:
            return osm_hours.parse(self.opening_hours)
        except osm_hours.OpeningHoursError:  # Validated on save; an old row must not break the page.
            return osm_hours.Week()


class ServiceQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Service(models.Model):
    """What a partner offers (« accompagnement aux démarches », « permanence juridique »…)."""

    partner = models.ForeignKey(Partner, verbose_name="partenaire", on_delete=models.CASCADE, related_name="services")
    name = models.CharField("nom", max_length=200, validators=[single_line_text])
    summary = models.CharField(
        "résumé",
        max_length=280,
        blank=True,
        validators=[single_line_text],
        help_text="Une phrase, 280 signes au plus.",
    )
    description = models.TextField("description détaillée", blank=True, validators=[multiline_text])
    themes = models.ManyToManyField(Theme, verbose_name="thématiques", blank=True, related_name="services")
    audiences = ArrayField(
        models.CharField(max_length=60, choices=Audience.choices), verbose_name="publics", default=list, blank=True
    )
    access_modes = ArrayField(
        models.CharField(max_length=20, choices=AccessMode.choices),
        verbose_name="modes d’accès",
        default=list,
        blank=True,
    )
    fees = models.CharField("frais", max_length=10, choices=Fees.choices, blank=True)
    fees_details = models.CharField(
        "précisions sur les frais", max_length=200, blank=True, validators=[single_line_text]
    )
    documents = models.TextField("pièces à fournir", blank=True, validators=[multiline_text])
    area = models.CharField("territoire desservi", max_length=20, choices=Area.choices, default=Area.DEPARTEMENT)
    communes = models.ManyToManyField(Commune, verbose_name="communes desservies", blank=True, related_name="+")
    epci_codes = ArrayField(
        models.CharField(max_length=9, validators=[epci_code_validator]),
        verbose_name="intercommunalités desservies (SIREN)",
        default=list,
        blank=True,
    )
    contact_phone = models.CharField(
        "téléphone du service", max_length=20, blank=True, validators=[phone_validator], help_text="S’il diffère."
    )
    contact_email = models.EmailField("courriel du service", blank=True, help_text="S’il diffère.")
    is_published = models.BooleanField("publié", default=True)
    position = models.PositiveSmallIntegerField("ordre d’affichage", default=0)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        verbose_name = "service"
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "name"],
                name="service_name_unique_per_partner",
                violation_error_message="Ce partenaire propose déjà un service de ce nom.",
            ),
            models.CheckConstraint(
                condition=~models.Q(area=Area.EPCI) | ~models.Q(epci_codes=[]),
                name="service_epci_area_lists_epcis",
                violation_error_message="Indiquez au moins une intercommunalité desservie.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.partner})"

    def clean(self):
        if self.area != Area.EPCI and self.epci_codes:
            raise ValidationError({"epci_codes": "Ne listez des intercommunalités que pour ce territoire desservi."})

    def get_audiences_display(self) -> list[str]:
        return [Audience(value).label for value in self.audiences if value in Audience.values]

    def get_access_modes_display(self) -> list[str]:
        return [AccessMode(value).label for value in self.access_modes if value in AccessMode.values]


class PartnerContact(models.Model):
    """Someone to call at a partner, for staff only (never shown to the public, nor exported as open data).

    Personal data: exported and erased with the person's account when the e-mail matches
    (partenaires/personal_data.py); erased after the partner's retirement (retention rule « partner-contacts »).
    """

    partner = models.ForeignKey(Partner, verbose_name="partenaire", on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField("nom", max_length=150, validators=[single_line_text])
    role = models.CharField("fonction", max_length=150, blank=True, validators=[single_line_text])
    phone = models.CharField("téléphone direct", max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField("courriel direct", blank=True)
    notes = models.TextField(
        "notes pour l’accueil",
        blank=True,
        max_length=2000,
        validators=[multiline_text],
        help_text="Ce que les agents d’accueil doivent savoir pour orienter (jours de présence, délais…).",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "contact interne"
        verbose_name_plural = "contacts internes"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.partner})"


class ImportKind(models.TextChoices):
    """What a file imported into the directory holds (partenaires/imports.py describes each one's columns)."""

    PARTNERS = "organisations", "organisations"
    SERVICES = "services", "services"
    CONTACTS = "contacts", "contacts internes"


class ImportStatus(models.TextChoices):
    PENDING = "en_attente", "en attente de vérification"
    CHECKING = "verification", "vérification en cours"
    INVALID = "erreurs", "erreurs à corriger"
    CHECKED = "verifie", "vérifié, prêt à importer"
    QUEUED = "confirme", "import demandé"
    RUNNING = "import", "import en cours"
    DONE = "termine", "importé"
    FAILED = "echec", "échec"


class ImportJob(models.Model):
    """One file imported into the directory: first checked (a dry run: nothing written), then, once the project
    lead confirms, imported in one transaction (partenaires/imports.py). A large file is checked and imported by a
    Celery task (partenaires/tasks.py) whose progress the job's page shows.

    The file's bytes stay in `content` only until it is imported or given up (then emptied): a file may hold
    internal contacts, personal data that must not outlive its use. The job itself is the import's record: who,
    which file, what it created, changed and left unchanged; the audit trail holds the same and each row's change.
    """

    kind = models.CharField("contenu du fichier", max_length=20, choices=ImportKind.choices)
    status = models.CharField("état", max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    file_name = models.CharField("nom du fichier", max_length=255)
    file_format = models.CharField("format", max_length=10)
    file_size = models.PositiveIntegerField("taille (octets)", default=0)
    content = models.BinaryField("contenu", default=bytes, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    task_id = models.CharField("tâche", max_length=50, blank=True, editable=False)
    total_rows = models.PositiveIntegerField("lignes", default=0)
    processed_rows = models.PositiveIntegerField("lignes traitées", default=0)
    created_count = models.PositiveIntegerField("créées", default=0)
    updated_count = models.PositiveIntegerField("modifiées", default=0)
    unchanged_count = models.PositiveIntegerField("inchangées", default=0)
    error_count = models.PositiveIntegerField("erreurs", default=0)
    report = models.JSONField("rapport", default=dict, blank=True)
    created_at = models.DateTimeField("déposé le", auto_now_add=True)
    checked_at = models.DateTimeField("vérifié le", null=True, blank=True)
    finished_at = models.DateTimeField("importé le", null=True, blank=True)

    class Meta:
        verbose_name = "import de partenaires"
        verbose_name_plural = "imports de partenaires"
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import « {self.file_name} » ({self.get_kind_display()})"

    def get_absolute_url(self):
        return reverse("partenaires:import_detail", kwargs={"pk": self.pk})

    @property
    def is_working(self) -> bool:
        """A task is checking or importing the file: the page follows its progress."""
        return self.status in {ImportStatus.PENDING, ImportStatus.CHECKING, ImportStatus.QUEUED, ImportStatus.RUNNING}

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
