from django.db import models

from core.validators import multiline_text, single_line_text
from maisons.models import Commune, phone_validator, postal_code_validator

from .enums import PartnerKind


class PartnerQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class Partner(models.Model):
    """An organisation that orients or receives the public (CAF, CPAM, France Travail, associations…)."""

    name = models.CharField("nom", max_length=200, unique=True, validators=[single_line_text])
    slug = models.SlugField("identifiant d’adresse", max_length=80, unique=True)
    acronym = models.CharField("sigle", max_length=30, blank=True, validators=[single_line_text])
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
    is_published = models.BooleanField("publié", default=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    objects = PartnerQuerySet.as_manager()

    class Meta:
        verbose_name = "partenaire"
        ordering = ["name"]

    def __str__(self):
        return self.name
