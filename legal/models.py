"""The legal pages' editable data: Wagtail settings the communication service changes in /cms/ (« Paramètres »).

Each setting is one row (BaseGenericSetting). Until it is first saved, the pages show the defaults below, which
describe the portal as it is: no RGAA audit yet, hence « non conforme », as the DINUM requires without a valid
audit (automated checks are not one). Pages read the settings
through `legal.services` (cached in Redis), never with a query per request.
"""

import datetime

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

# The day this default statement was written, from the portal's tests (docs/accessibilite.md).
DEFAULT_STATEMENT_DATE = datetime.date(2026, 11, 30)
HOTEL_DU_DEPARTEMENT = "Hôtel du Département, 1 rue du Commandant Hugueny, CS 62127, 52905 Chaumont Cedex 9"


class ConformityStatus(models.TextChoices):
    """The three states of the RGAA model statement (DINUM), as the footer says them."""

    NON_COMPLIANT = "non", "non conforme"
    PARTIAL = "partiel", "partiellement conforme"
    FULL = "total", "totalement conforme"


def default_statement_date() -> datetime.date:
    return DEFAULT_STATEMENT_DATE


def _lines(text: str) -> list[str]:
    return [line.strip(" -•\t") for line in text.splitlines() if line.strip(" -•\t")]


@register_setting(icon="view")
class AccessibilityStatement(BaseGenericSetting):
    """The accessibility statement of /accessibilite/ (RGAA 4.1 model statement, DINUM), and the footer's status."""

    status = models.CharField(
        "état de conformité",
        max_length=10,
        choices=ConformityStatus.choices,
        default=ConformityStatus.NON_COMPLIANT,
        help_text="« Totalement conforme » exige un audit complet du RGAA avec 100 % des critères respectés.",
    )
    compliance_rate = models.DecimalField(
        "taux de conformité (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Résultat d’un audit complet du RGAA. Laisser vide tant qu’aucun audit complet n’a eu lieu.",
    )
    rgaa_version = models.CharField("version du RGAA", max_length=10, default="4.1")
    audit_date = models.DateField(
        "date de la dernière vérification",
        null=True,
        blank=True,
        help_text="Date du dernier audit ou de la dernière vérification complète.",
    )
    audit_by = models.CharField(
        "vérification réalisée par",
        max_length=200,
        default="le Département de la Haute-Marne (vérification interne)",
    )
    audit_method = models.TextField(
        "méthode de vérification",
        default=(
            "Chaque page du portail est vérifiée automatiquement, à chaque modification du logiciel, par les règles "
            "WCAG 2.1 de niveaux A et AA de l’outil axe-core, dans le navigateur Chromium, sur écran de téléphone "
            "(375 pixels) et d’ordinateur (1 280 pixels). L’usage au clavier seul est vérifié sur les parcours "
            "principaux. Ces vérifications ne remplacent pas un audit complet des 106 critères du RGAA."
        ),
    )
    tools = models.TextField(
        "outils utilisés (un par ligne)",
        default="axe-core (règles WCAG 2.1 A et AA)\nNavigateur Chromium\nNavigation au clavier seul",
    )
    technologies = models.CharField("technologies utilisées", max_length=200, default="HTML5, CSS, JavaScript")
    pages_audited = models.TextField(
        "pages vérifiées (une par ligne)",
        default=(
            "Accueil\nPages des Maisons du Département (Langres, Saint-Dizier)\nPages d’information et actualités\n"
            "Recherche\nPlan du site\nDéclaration d’accessibilité\nMentions légales\nDonnées personnelles\n"
            "Connexion à l’espace professionnel et pages du personnel"
        ),
    )
    non_compliant_content = models.TextField(
        "contenus non accessibles (un par ligne)",
        blank=True,
        default=(
            "Les critères du RGAA qui demandent un jugement humain (pertinence des alternatives textuelles des "
            "images, des titres et des intitulés de liens, ordre de lecture) n’ont pas encore été vérifiés par un "
            "audit complet.\n"
            "Les documents téléchargeables (PDF, documents bureautiques) ne sont pas vérifiés automatiquement : "
            "certains peuvent ne pas être accessibles."
        ),
    )
    derogations = models.TextField(
        "dérogations pour charge disproportionnée (une par ligne)",
        blank=True,
        default="",
        help_text="Laisser vide s’il n’y en a aucune.",
    )
    exempt_content = models.TextField(
        "contenus non soumis à l’obligation d’accessibilité (un par ligne)",
        blank=True,
        default=(
            "Les cartes en ligne d’OpenStreetMap vers lesquelles renvoient les pages des Maisons : l’adresse et les "
            "informations d’accès de chaque Maison sont données en texte sur sa page.\n"
            "Les documents bureautiques publiés avant le 23 septembre 2018."
        ),
    )
    established_on = models.DateField("déclaration établie le", default=default_statement_date)
    contact_email = models.EmailField(
        "adresse électronique de contact",
        blank=True,
        default="",
        help_text="Pour signaler un défaut d’accessibilité.",
    )
    contact_form_url = models.URLField("adresse d’un formulaire de contact", blank=True, default="")
    contact_address = models.TextField(
        "adresse postale de contact",
        default=f"Conseil départemental de la Haute-Marne, accessibilité numérique\n{HOTEL_DU_DEPARTEMENT}",
    )
    updated_at = models.DateTimeField("mise à jour", auto_now=True)

    panels = [
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("compliance_rate"), FieldPanel("rgaa_version")], "État de conformité"
        ),
        MultiFieldPanel(
            [
                FieldPanel("non_compliant_content"),
                FieldPanel("derogations"),
                FieldPanel("exempt_content"),
            ],
            "Contenus non accessibles",
        ),
        MultiFieldPanel(
            [
                FieldPanel("audit_date"),
                FieldPanel("audit_by"),
                FieldPanel("audit_method"),
                FieldPanel("tools"),
                FieldPanel("technologies"),
                FieldPanel("pages_audited"),
                FieldPanel("established_on"),
            ],
            "Établissement de la déclaration",
        ),
        MultiFieldPanel(
            [FieldPanel("contact_email"), FieldPanel("contact_form_url"), FieldPanel("contact_address")],
            "Retour d’information et contact",
        ),
    ]

    class Meta:
        verbose_name = "déclaration d’accessibilité"
        verbose_name_plural = "déclarations d’accessibilité"

    def __str__(self):
        return f"Déclaration d’accessibilité : {self.get_status_display()}"

    @property
    def compliance_rate_in_words(self) -> str:
        """ "87,5" for 87.50: French decimal comma, no trailing zero."""
        return format(self.compliance_rate.normalize(), "f").replace(".", ",")

    @property
    def tool_list(self) -> list[str]:
        return _lines(self.tools)

    @property
    def page_list(self) -> list[str]:
        return _lines(self.pages_audited)

    @property
    def non_compliant_list(self) -> list[str]:
        return _lines(self.non_compliant_content)

    @property
    def derogation_list(self) -> list[str]:
        return _lines(self.derogations)

    @property
    def exempt_list(self) -> list[str]:
        return _lines(self.exempt_content)

    @property
    def contact_address_lines(self) -> list[str]:
        return _lines(self.contact_address)


@register_setting(icon="doc-full")
class LegalNotice(BaseGenericSetting):
    """The legal notice of /mentions-legales/ (loi n° 2004-575 du 21 juin 2004, art. 6): who publishes, who hosts."""

    publisher = models.CharField("éditeur", max_length=200, default="Conseil départemental de la Haute-Marne")
    publisher_address = models.TextField("adresse de l’éditeur", default=HOTEL_DU_DEPARTEMENT)
    publisher_phone = models.CharField("téléphone de l’éditeur", max_length=40, blank=True, default="")
    publisher_email = models.EmailField("adresse électronique de l’éditeur", blank=True, default="")
    publication_director = models.CharField(
        "directeur ou directrice de la publication",
        max_length=200,
        default="le président du Conseil départemental de la Haute-Marne",
    )
    host = models.CharField(
        "hébergeur",
        max_length=200,
        default="Département de la Haute-Marne, direction des systèmes d’information",
    )
    host_address = models.TextField("adresse de l’hébergeur", default=HOTEL_DU_DEPARTEMENT)
    host_phone = models.CharField("téléphone de l’hébergeur", max_length=40, blank=True, default="")
    dpo_contact = models.TextField(
        "contact du délégué à la protection des données",
        default=f"Délégué à la protection des données, Département de la Haute-Marne\n{HOTEL_DU_DEPARTEMENT}",
    )
    dpo_email = models.EmailField("adresse électronique du délégué", blank=True, default="")
    demonstration_notice = models.TextField(
        "avertissement de démonstration",
        blank=True,
        default="",
        help_text="À laisser vide en production. Sur un portail de démonstration, dit ce qui est fictif.",
    )
    updated_at = models.DateTimeField("mise à jour", auto_now=True)

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("publisher"),
                FieldPanel("publisher_address"),
                FieldPanel("publisher_phone"),
                FieldPanel("publisher_email"),
                FieldPanel("publication_director"),
            ],
            "Éditeur",
        ),
        MultiFieldPanel([FieldPanel("host"), FieldPanel("host_address"), FieldPanel("host_phone")], "Hébergement"),
        MultiFieldPanel([FieldPanel("dpo_contact"), FieldPanel("dpo_email")], "Protection des données"),
        FieldPanel("demonstration_notice"),
    ]

    class Meta:
        verbose_name = "mentions légales"
        verbose_name_plural = "mentions légales"

    def __str__(self):
        return "Mentions légales"

    @property
    def publisher_address_lines(self) -> list[str]:
        return _lines(self.publisher_address)

    @property
    def host_address_lines(self) -> list[str]:
        return _lines(self.host_address)

    @property
    def dpo_contact_lines(self) -> list[str]:
        return _lines(self.dpo_contact)
